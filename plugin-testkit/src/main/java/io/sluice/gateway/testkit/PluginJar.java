// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A plugin's own packaged jar in a test gateway. Under failsafe ({@code mvn verify}) a plugin's build passes
 * its packaged, shaded jar as {@code sluice.plugin.jar} and keeps the plugin's classes off the test class path
 * (see the jwt plugin's pom), so an IT that passes proves the jar loads in PF4J on its own. Run from an IDE or
 * with {@code -Dtest}, the classes on the class path serve instead.
 */
public final class PluginJar {

  private PluginJar() {}

  /**
   * Copies the plugin jar into {@code dir/plugins} when the build supplied it; true when it did.
   *
   * @param factoryClass the plugin's policy factory class, which must then not be visible to the test
   * @throws IllegalStateException when the jar was supplied but {@code factoryClass} is on the test class path
   */
  public static boolean install(Path dir, String factoryClass) throws IOException {
    String jar = System.getProperty("sluice.plugin.jar");
    if (jar == null) {
      return false;
    }
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    Files.copy(Path.of(jar), plugins.resolve(Path.of(jar).getFileName()));
    try {
      Class.forName(factoryClass);
    } catch (ClassNotFoundException expected) {
      return true;
    }
    throw new IllegalStateException(
        "the plugin's classes must come from its jar alone, but " + factoryClass + " is on the test class path");
  }
}
