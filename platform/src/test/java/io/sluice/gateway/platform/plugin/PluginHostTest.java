// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.platform.PluginJars;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Swapping generations of real plugin jars: the new one serves at once, the old one retires when idle. */
class PluginHostTest {

  @TempDir Path work;

  private Path stamp(Path dir, String version) throws Exception {
    return PluginJars.stampPlugin(work, dir.resolve("stamp.jar"), "stamp", "stamp", version, ">=0.1.0");
  }

  @Test
  void aReplacedJarIsANewGenerationWithItsOwnClassesAndTheOldOneRetiresWhenIdle() throws Exception {
    Path dir = work.resolve("plugins");
    Files.createDirectories(dir);
    stamp(dir, "1.0.0");
    try (PluginHost host = PluginHost.start(dir, "0.1.0")) {
      PluginGeneration first = host.current();
      assertThat(first.number()).isEqualTo(1);
      Class<?> v1 = first.registry().get("stamp").factory().getClass();

      String before = host.fingerprint();
      stamp(dir, "2.0.0");
      assertThat(host.fingerprint()).as("the replaced jar is noticed").isNotEqualTo(before);

      first.enter();
      PluginGeneration second = host.loadNext();
      assertThat(host.current()).as("loading does not install").isSameAs(first);
      host.install(second);
      assertThat(host.current()).isSameAs(second);
      assertThat(second.number()).isEqualTo(2);
      assertThat(second.describe().getJsonObject(0).getString("version")).isEqualTo("2.0.0");
      Class<?> v2 = second.registry().get("stamp").factory().getClass();
      assertThat(v2.getName()).isEqualTo(v1.getName());
      assertThat(v2).as("a new class loader").isNotSameAs(v1);

      assertThat(host.retiringCount()).as("a request still uses generation 1").isEqualTo(1);
      assertThat(first.closed()).isFalse();
      host.retireIdle();
      assertThat(first.closed()).isFalse();
      first.exit();
      host.retireIdle();
      assertThat(host.retiringCount()).isZero();
      assertThat(first.closed()).isTrue();
      assertThat(second.closed()).isFalse();
    }
  }

  @Test
  void aRefusedGenerationIsClosedAndTheCurrentOneKeepsServing() throws Exception {
    Path dir = work.resolve("plugins");
    try (PluginHost host = PluginHost.start(dir, "0.1.0")) {
      assertThat(dir).as("created when missing").isDirectory();
      assertThat(host.current().describe()).isEmpty();
      stamp(dir, "1.0.0");
      PluginGeneration next = host.loadNext();
      assertThat(next.registry().get("stamp")).isNotNull();
      next.close();
      assertThat(host.current().registry().get("stamp")).isNull();
      assertThat(host.retiringCount()).isZero();
    }
  }

  @Test
  void closingTheHostClosesEveryGeneration() throws Exception {
    Path dir = work.resolve("plugins");
    Files.createDirectories(dir);
    stamp(dir, "1.0.0");
    PluginHost host = PluginHost.start(dir, "0.1.0");
    PluginGeneration first = host.current();
    first.enter();
    PluginGeneration second = host.loadNext();
    host.install(second);
    host.close();
    assertThat(first.closed()).as("even one still marked in use").isTrue();
    assertThat(second.closed()).isTrue();
  }
}
