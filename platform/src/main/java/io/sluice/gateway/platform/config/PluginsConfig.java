// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import io.sluice.gateway.api.config.ConfigException;

/**
 * Where plugins come from.
 *
 * @param dir the directory of plugin jars and zips, relative to the config file's directory
 * @param watch reload plugins when files in {@code dir} are added, replaced or removed
 *     ({@code POST /admin/plugins/reload} works either way)
 */
public record PluginsConfig(String dir, Boolean watch) {

  public PluginsConfig {
    dir = dir != null ? dir : Installation.dir("plugins");
    watch = watch != null ? watch : true;
    if (dir.isBlank()) {
      throw new ConfigException("dir", "must not be blank");
    }
  }

  public static PluginsConfig defaults() {
    return new PluginsConfig(null, null);
  }
}
