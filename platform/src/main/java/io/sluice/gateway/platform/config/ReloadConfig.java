// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import java.time.Duration;

/**
 * Hot reload of the configuration file.
 *
 * @param watch whether to reload when the file changes ({@code POST /admin/reload} works either way)
 * @param interval how often to look at the file's size and modification time
 */
public record ReloadConfig(Boolean watch, Duration interval) {

  public ReloadConfig {
    watch = watch != null ? watch : true;
    interval = interval != null ? interval : Duration.ofSeconds(1);
    Durations.requirePositive("interval", interval);
  }

  public static ReloadConfig defaults() {
    return new ReloadConfig(null, null);
  }
}
