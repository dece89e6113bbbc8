// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import io.sluice.gateway.api.config.ConfigException;

/**
 * The access log: one JSON line per exchange, written off the event loop.
 *
 * @param enabled whether to write it at all
 * @param target {@code stdout} or {@code file}
 * @param file the file for {@code target: file}, relative to the config file's directory
 */
public record AccessLogConfig(Boolean enabled, Target target, String file) {

  /** Where access log lines go. */
  public enum Target {
    STDOUT,
    FILE
  }

  public AccessLogConfig {
    enabled = enabled != null ? enabled : true;
    target = target != null ? target : Target.STDOUT;
    file = file != null ? file : "logs/access.log";
    if (file.isBlank()) {
      throw new ConfigException("file", "must not be blank");
    }
  }

  public static AccessLogConfig defaults() {
    return new AccessLogConfig(null, null, null);
  }

  /** This config with {@code file} replaced (the gateway passes the resolved path). */
  public AccessLogConfig withFile(String resolved) {
    return new AccessLogConfig(enabled, target, resolved);
  }
}
