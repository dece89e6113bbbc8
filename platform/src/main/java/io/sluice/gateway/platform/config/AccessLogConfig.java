// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import io.sluice.gateway.api.config.ConfigException;

/**
 * The access log: one JSON line per exchange, written off the event loop.
 *
 * @param enabled whether to write it at all
 * @param target {@code stdout} or {@code file}
 * @param file the file for {@code target: file}, relative to the config file's directory
 * @param sampleSuccess the share (0..1) of successful exchanges (2xx/3xx, complete, no problem key) that get a
 *     line; every other exchange is always logged
 */
public record AccessLogConfig(Boolean enabled, Target target, String file, Double sampleSuccess) {

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
    sampleSuccess = sampleSuccess != null ? sampleSuccess : 1.0;
    if (sampleSuccess.isNaN() || sampleSuccess < 0 || sampleSuccess > 1) {
      throw new ConfigException("sampleSuccess", "must be between 0 and 1");
    }
  }

  public static AccessLogConfig defaults() {
    return new AccessLogConfig(null, null, null, null);
  }

  /** This config with {@code file} replaced (the gateway passes the resolved path). */
  public AccessLogConfig withFile(String resolved) {
    return new AccessLogConfig(enabled, target, resolved, sampleSuccess);
  }
}
