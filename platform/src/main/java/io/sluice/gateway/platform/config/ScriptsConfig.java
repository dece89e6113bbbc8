// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import io.sluice.gateway.api.config.ConfigException;

/**
 * Where JavaScript policies ({@code type: script}) come from.
 *
 * @param dir the directory of {@code .js} files, relative to the config file's directory
 * @param watch reload the configuration when a script there changes (a script with an error is refused and
 *     the previous version keeps serving)
 */
public record ScriptsConfig(String dir, Boolean watch) {

  public ScriptsConfig {
    dir = dir != null ? dir : Installation.dir("policies");
    watch = watch != null ? watch : true;
    if (dir.isBlank()) {
      throw new ConfigException("dir", "must not be blank");
    }
  }

  public static ScriptsConfig defaults() {
    return new ScriptsConfig(null, null);
  }
}
