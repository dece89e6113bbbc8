// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.oauth2introspection;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Under failsafe ({@code mvn verify}) the packaged, shaded plugin jar goes into the gateway's plugins
 * directory and the plugin's classes are kept off the test class path (see the pom), so an IT that passes
 * proves the jar loads in PF4J on its own. Run from an IDE or with {@code -Dtest}, the classes on the class
 * path serve instead.
 */
final class PluginJar {

  private PluginJar() {}

  /** Copies the plugin jar into {@code dir/plugins} when the build supplied it; true when it did. */
  static boolean install(Path dir) throws IOException {
    String jar = System.getProperty("sluice.plugin.jar");
    if (jar == null) {
      return false;
    }
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    Files.copy(Path.of(jar), plugins.resolve(Path.of(jar).getFileName()));
    assertThatThrownBy(() -> Class.forName("io.sluice.gateway.plugin.oauth2introspection.IntrospectionPolicyFactory"))
        .as("the plugin's classes must come from its jar alone").isInstanceOf(ClassNotFoundException.class);
    return true;
  }
}
