// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.script;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.gateway.api.config.ByteSize;
import io.sluice.gateway.api.config.ConfigException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Configuration of a {@code script} policy.
 *
 * @param file the script, relative to the policies directory
 * @param timeout the longest one call of {@code onRequest} or {@code onResponse} may run (default 50ms)
 * @param settings any JSON object; the script reads it as {@code config}
 * @param maxBodySize when set, bodies up to this size are read before the script runs and offered as
 *     {@code exchange.request.body} / {@code exchange.response.body} (text) with {@code setBody(text)};
 *     a larger body is refused with 413 {@code BODY_TOO_LARGE}. Unset: bodies stream and scripts do not see them.
 */
public record ScriptConfig(String file, Duration timeout, @Nullable JsonNode settings, @Nullable ByteSize maxBodySize) {

  public ScriptConfig {
    if (file == null || file.isBlank()) {
      throw new ConfigException("file", "is required (a .js file in the policies directory)");
    }
    if (file.contains("..") || file.startsWith("/")) {
      throw new ConfigException("file", "'" + file + "' must be a path inside the policies directory");
    }
    timeout = timeout != null ? timeout : Duration.ofMillis(50);
    if (timeout.isNegative() || timeout.isZero() || timeout.toSeconds() > 10) {
      throw new ConfigException("timeout", "must be between 1ms and 10s");
    }
  }
}
