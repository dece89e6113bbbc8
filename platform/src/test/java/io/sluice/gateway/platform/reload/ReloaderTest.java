// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.platform.config.ConfigLoader;
import io.sluice.gateway.platform.config.FileConfigSource;
import io.sluice.gateway.platform.plugin.PluginHost;
import io.sluice.gateway.platform.policy.ChainAssembler;
import io.sluice.gateway.platform.route.Route;
import io.sluice.gateway.platform.route.RouteTable;
import io.sluice.gateway.platform.upstream.UpstreamRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reloader over real parts: a configuration file, a plugins directory, compiled route tables. */
class ReloaderTest {

  @TempDir Path dir;
  Path file;
  Path pluginsDir;
  Vertx vertx;
  PluginHost plugins;
  LiveRouting routing;
  Reloader reloader;
  final AtomicInteger compiles = new AtomicInteger();

  @BeforeEach
  void setUp() throws Exception {
    file = dir.resolve("sluice.yaml");
    pluginsDir = Files.createDirectories(dir.resolve("plugins"));
    write(routes("a"));
    vertx = Vertx.vertx();
    plugins = PluginHost.start(pluginsDir, "0.1.0");
    UpstreamRegistry upstreams = new UpstreamRegistry(dir);
    routing = new LiveRouting(upstreams);
    ConfigLoader loader = new ConfigLoader();
    FileConfigSource source = new FileConfigSource(file, loader);
    reloader = new Reloader(vertx, source, source.read(), plugins, routing, (config, generation, earlier) -> {
      compiles.incrementAndGet();
      ChainAssembler chains = new ChainAssembler(generation.registry(), loader, (route, type) -> {
        throw new IllegalStateException("no policies in this test");
      });
      return RouteTable.compile(config, source.name(), chains, upstreams, earlier);
    });
    reloader.installFirst(List.of());
  }

  @AfterEach
  void tearDown() {
    reloader.stop();
    routing.close();
    plugins.close();
    vertx.close().await();
  }

  private static String routes(String... ids) {
    StringBuilder yaml = new StringBuilder("upstreams:\n  app: { targets: [\"http://127.0.0.1:9\"] }\nroutes:\n");
    for (String id : ids) {
      yaml.append("  - { id: ").append(id).append(", path: /").append(id).append(", upstream: app }\n");
    }
    return yaml.toString();
  }

  /** Writes the file with a modification time of its own, so that two writes in one millisecond differ too. */
  private void write(String yaml) throws Exception {
    Files.writeString(file, yaml);
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(compiles.get() + 1)));
  }

  private List<String> servingRouteIds() {
    return routing.current().routes().routes().stream().map(Route::id).toList();
  }

  @Test
  void aRefusedConfigurationKeepsTheOldOneServing() throws Exception {
    write(routes("b") + "  - { id: broken, path: /broken, upstream: nowhere }\n  - { id: bad, path: nope, upstream: app }\n");
    assertThatThrownBy(() -> reloader.reloadConfiguration("test").toCompletionStage().toCompletableFuture().join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(ReloadRefused.class, refused -> {
          assertThat(refused.kind()).isEqualTo(ReloadRefused.Kind.CONFIGURATION);
          assertThat(refused.source()).isEqualTo(file.toString());
          assertThat(refused.problems()).hasSize(2)
              .anySatisfy(p -> assertThat(p).startsWith("routes[broken].upstream: unknown upstream 'nowhere'"))
              .anySatisfy(p -> assertThat(p).startsWith("routes[bad].path"));
        });
    assertThat(servingRouteIds()).containsExactly("a");

    write(routes("a", "b"));
    RouteTable reloaded = reloader.reloadConfiguration("test").await();
    assertThat(reloaded.routes()).hasSize(2);
    assertThat(servingRouteIds()).containsExactly("a", "b");
  }

  @Test
  void aChangedFileIsReloadedOnceAndARefusedOneIsNotRetried() throws Exception {
    int before = compiles.get();
    reloader.check(true, true);
    assertThat(compiles.get()).as("nothing changed").isEqualTo(before);

    write(routes("a", "b"));
    reloader.check(true, true);
    reloader.check(true, true);
    assertThat(servingRouteIds()).containsExactly("a", "b");
    assertThat(compiles.get()).isEqualTo(before + 1);

    write(routes("c") + "  - { id: broken, path: /broken, upstream: nowhere }\n");
    reloader.check(true, true);
    reloader.check(true, true);
    assertThat(compiles.get()).as("the refused file is compiled once").isEqualTo(before + 2);
    assertThat(servingRouteIds()).containsExactly("a", "b");
  }

  @Test
  void anUnwatchedFileIsLeftAlone() throws Exception {
    write(routes("a", "b"));
    reloader.check(false, false);
    assertThat(servingRouteIds()).containsExactly("a");
  }

  @Test
  void aPluginDirectoryChangeIsSeenOnce() throws Exception {
    assertThat(routing.current().plugins().number()).isEqualTo(1);
    // Not a plugin: the new generation refuses it and loads the rest (nothing), which is still a new generation.
    Files.write(pluginsDir.resolve("broken.jar"), new byte[] {1, 2, 3, 4});
    reloader.check(false, true);
    assertThat(routing.current().plugins().number()).isEqualTo(2);
    assertThat(plugins.current().number()).isEqualTo(2);
    reloader.check(false, true);
    reloader.check(false, true);
    assertThat(routing.current().plugins().number()).as("one change, one generation").isEqualTo(2);

    Files.delete(pluginsDir.resolve("broken.jar"));
    reloader.check(false, true);
    assertThat(routing.current().plugins().number()).isEqualTo(3);
    assertThat(servingRouteIds()).as("the configuration is recompiled with the plugins").containsExactly("a");
  }

  @Test
  void thePeriodicCheckReloadsAChangedFile() throws Exception {
    reloader.watch(java.time.Duration.ofMillis(50), true, true);
    write(routes("a", "b"));
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .until(() -> servingRouteIds().size() == 2);
  }
}
