// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import java.nio.file.Path;

/**
 * Where the installation's own directories are, for the defaults of {@code plugins.dir} and {@code scripts.dir}:
 * under the {@code sluice.home} system property, else {@code SLUICE_HOME} (which {@code bin/sluice} exports), so
 * that a configuration kept anywhere still finds the shipped plugins and policies. Without either (an embedded
 * gateway, tests) the default is the name itself, relative to the configuration file like every path written
 * in it.
 */
final class Installation {

  private Installation() {}

  static String dir(String name) {
    String home = System.getProperty("sluice.home");
    if (home == null || home.isBlank()) {
      home = System.getenv("SLUICE_HOME");
    }
    return home == null || home.isBlank() ? name : Path.of(home, name).toString();
  }
}
