// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import io.sluice.gateway.api.config.ConfigException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One configuration as a {@link ConfigSource} produced it: the bound records and the problems binding found.
 * With problems the records hold what did bind (bad fields left out), so that compiling them can add its own
 * problems and a refusal lists every error at once; without any record at all ({@code config} null) nothing
 * could be bound.
 *
 * @param source names the configuration in errors and logs (a file path)
 * @param version the source's {@linkplain ConfigSource#version() version} when it was read
 */
public record ConfigSnapshot(
    String source, String version, @Nullable GatewayConfig config, List<ConfigException> problems) {

  public ConfigSnapshot {
    problems = List.copyOf(problems);
  }

  /**
   * The bound configuration, possibly with {@link #problems()} still to report.
   *
   * @throws InvalidConfigException when nothing could be bound
   */
  public GatewayConfig orThrowIfUnbound() {
    if (config == null) {
      throw new InvalidConfigException(source, problems);
    }
    return config;
  }
}
