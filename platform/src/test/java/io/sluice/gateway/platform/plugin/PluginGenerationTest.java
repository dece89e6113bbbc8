// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.platform.PluginJars;
import io.sluice.gateway.platform.policy.RegisteredFactory;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generations of real PF4J plugins, compiled and packaged in a temporary directory. */
class PluginGenerationTest {

  private static final String PLATFORM = "0.1.0";

  @TempDir Path work;

  private Path plugins() throws Exception {
    return Files.createDirectories(work.resolve("plugins"));
  }

  private Path stamp(String file, String id, String type, String version, String requires) throws Exception {
    return PluginJars.stampPlugin(work, plugins().resolve(file), id, type, version, requires);
  }

  @Test
  void aJarPluginsPolicyTypeIsRegisteredUnderItsIdFromItsOwnClassLoader() throws Exception {
    stamp("stamp.jar", "stamp", "stamp", "1.0.0", ">=0.1.0");
    try (PluginGeneration g = PluginGeneration.load(1, plugins(), work.resolve("copy"), PLATFORM)) {
      RegisteredFactory stamp = g.registry().get("stamp");
      assertThat(stamp).isNotNull();
      assertThat(stamp.source()).isEqualTo("stamp");
      assertThat(stamp.factory().getClass().getClassLoader()).as("a plugin class loader")
          .isNotSameAs(getClass().getClassLoader());
      assertThatThrownBy(() -> Class.forName(stamp.factory().getClass().getName()))
          .as("the class exists only in the plugin").isInstanceOf(ClassNotFoundException.class);
      JsonObject described = g.describe().getJsonObject(0);
      assertThat(described.getString("id")).isEqualTo("stamp");
      assertThat(described.getString("version")).isEqualTo("1.0.0");
      assertThat(described.getString("state")).isEqualTo("STARTED");
      assertThat(described.getString("file")).isEqualTo("stamp.jar");
      assertThat(described.getJsonArray("policyTypes").getList()).containsExactly("stamp");
    }
  }

  @Test
  void aZipPluginLoadsTheLibrariesItBundles() throws Exception {
    PluginJars.zipPlugin(work, plugins().resolve("shout.zip"), "shout", "shout", "1.0.0");
    try (PluginGeneration g = PluginGeneration.load(1, plugins(), work.resolve("copy"), PLATFORM)) {
      RegisteredFactory shout = g.registry().get("shout");
      assertThat(shout).isNotNull();
      ClassLoader loader = shout.factory().getClass().getClassLoader();
      assertThat(loader.loadClass("test.lib.Shout").getMethod("shout", String.class).invoke(null, "hey"))
          .isEqualTo("HEY!");
    }
  }

  @Test
  void aPluginForAnotherPlatformVersionIsRefusedAndTheOthersServe() throws Exception {
    stamp("future.jar", "future", "future-stamp", "1.0.0", ">=9.0.0");
    stamp("stamp.jar", "stamp", "stamp", "1.0.0", ">=0.1.0");
    try (PluginGeneration g = PluginGeneration.load(1, plugins(), work.resolve("copy"), PLATFORM)) {
      assertThat(g.registry().get("future-stamp")).isNull();
      assertThat(g.registry().get("stamp")).isNotNull();
      assertThat(g.describe().stream().map(JsonObject.class::cast))
          .anySatisfy(p -> {
            assertThat(p.getString("id")).isEqualTo("future");
            assertThat(p.getString("state")).isNotEqualTo("STARTED");
            assertThat(p.getString("requires")).isEqualTo(">=9.0.0");
            assertThat(p.getJsonArray("policyTypes")).isEmpty();
          });
    }
  }

  @Test
  void twoPluginsClaimingOneTypeRefuseTheGenerationAndLeaveNoCopy() throws Exception {
    stamp("a.jar", "a", "stamp", "1.0.0", ">=0.1.0");
    stamp("b.jar", "b", "stamp", "1.0.0", ">=0.1.0");
    Path copy = work.resolve("copy");
    assertThatThrownBy(() -> PluginGeneration.load(1, plugins(), copy, PLATFORM))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("policy type 'stamp' is provided by both ")
        .hasMessageContaining("a").hasMessageContaining("b");
    assertThat(copy).doesNotExist();
  }

  @Test
  void aGenerationWorksFromItsCopyAndClosingDeletesIt() throws Exception {
    Path jar = stamp("stamp.jar", "stamp", "stamp", "1.0.0", ">=0.1.0");
    Path copy = work.resolve("copy");
    PluginGeneration g = PluginGeneration.load(1, plugins(), copy, PLATFORM);
    Files.delete(jar);
    Files.writeString(plugins().resolve("notes.txt"), "not a plugin");
    assertThat(copy.resolve("stamp.jar")).exists();
    assertThat(copy.resolve("notes.txt")).as("only jars and zips are copied").doesNotExist();
    assertThat(g.registry().get("stamp")).as("removing the file does not disturb the loaded generation").isNotNull();
    g.close();
    assertThat(g.closed()).isTrue();
    assertThat(copy).doesNotExist();
    g.close();
  }

  @Test
  void anEmptyOrMissingDirectoryIsAGenerationWithoutPlugins() throws Exception {
    try (PluginGeneration g = PluginGeneration.load(3, work.resolve("missing"), work.resolve("copy"), PLATFORM)) {
      assertThat(g.number()).isEqualTo(3);
      assertThat(g.describe()).isEmpty();
      // Factories on the gateway's own class path (here the test policies) are the built-ins.
      assertThat(g.registry().all()).extracting(RegisteredFactory::source).containsOnly("builtin");
      assertThat(g.registry().get("trace")).isNotNull();
    }
  }
}
