// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import io.sluice.gateway.api.config.ConfigException;

/**
 * Where plugins come from.
 *
 * @param dir the directory of plugin jars and zips, relative to the working directory
 */
public record PluginsConfig(String dir) {

  public PluginsConfig {
    dir = dir != null ? dir : "plugins";
    if (dir.isBlank()) {
      throw new ConfigException("dir", "must not be blank");
    }
  }

  public static PluginsConfig defaults() {
    return new PluginsConfig(null);
  }
}
