// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.gateway.platform.TestClient.Reply;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Plugin jars built in the test, dropped into, replaced in and removed from a running gateway's plugins dir. */
@ExtendWith(VertxExtension.class)
class PluginHotReloadIT {

  @TempDir Path dir;
  Path pluginsDir;
  Path work;
  Vertx vertx;
  TestClient client;
  TestBackend backend;
  TestGateway gw;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    this.vertx = vertx;
    pluginsDir = Files.createDirectories(dir.resolve("plugins"));
    work = Files.createDirectories(dir.resolve("build"));
    client = new TestClient(vertx);
    backend = TestBackend.named(vertx, "backend");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (gw != null) {
      gw.close();
    }
    backend.close();
    client.close();
  }

  private String config(boolean stampRoute) {
    return """
        plugins: { dir: %s, watch: true }
        upstreams:
          app: { targets: ["%s"] }
        routes:
          - { id: plain, path: /plain, upstream: app }
        %s
        """.formatted(pluginsDir, backend.url(), stampRoute
        ? "  - { id: stamped, path: /stamped, upstream: app, policies: [ { type: stamp } ] }" : "");
  }

  private void start(boolean stampRoute) {
    gw = TestGateway.start(dir, config(stampRoute).replace("watch: false", "watch: false"));
  }

  private Reply admin(HttpMethod method, String path) {
    MultiMap auth = MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + TestGateway.ADMIN_TOKEN);
    return client.send(method, gw.adminPort(), path, auth, null);
  }

  /** {@code sluice_plugin_reloads_total{outcome="applied"}} from {@code GET /metrics}. */
  private double pluginReloadsApplied() {
    return MetricsIT.sample(admin(HttpMethod.GET, "/metrics").body(), "sluice_plugin_reloads_total", "outcome=\"applied\"");
  }

  private Path stamp(String version) throws Exception {
    return PluginJars.stampPlugin(work, pluginsDir.resolve("stamp.jar"), "stamp", "stamp", version, ">=0.1.0");
  }

  @Test
  void aJarDroppedIntoARunningGatewayBecomesUsable() throws Exception {
    start(false);
    assertThat(admin(HttpMethod.GET, "/admin/plugins").json().getJsonArray("plugins")).isEmpty();
    double installed = pluginReloadsApplied();

    stamp("1.0.0");
    await().atMost(Duration.ofSeconds(10)).until(() ->
        !admin(HttpMethod.GET, "/admin/plugins").json().getJsonArray("plugins").isEmpty());
    assertThat(pluginReloadsApplied()).as("sluice_plugin_reloads_total{outcome=applied} counts the new generation")
        .isEqualTo(installed + 1);
    JsonObject plugin = admin(HttpMethod.GET, "/admin/plugins").json().getJsonArray("plugins").getJsonObject(0);
    assertThat(plugin.getString("id")).isEqualTo("stamp");
    assertThat(plugin.getString("version")).isEqualTo("1.0.0");
    assertThat(plugin.getString("state")).isEqualTo("STARTED");
    assertThat(plugin.getJsonArray("policyTypes").getList()).containsExactly("stamp");
    JsonArray types = admin(HttpMethod.GET, "/admin/plugins").json().getJsonArray("policyTypes");
    assertThat(types.stream().map(t -> ((JsonObject) t).getString("type") + "@" + ((JsonObject) t).getString("source")))
        .as("every type a route can use, the platform's own included")
        .contains("script@builtin")
        .anyMatch(t -> t.startsWith("stamp@"));

    gw.rewrite(config(true));
    assertThat(admin(HttpMethod.POST, "/admin/reload").status()).isEqualTo(200);
    Reply reply = client.get(gw.port(), "/stamped");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.headers().get("X-Stamp")).isEqualTo("1.0.0");
  }

  @Test
  void replacingAJarUnderLoadFailsNoRequest() throws Exception {
    stamp("1.0.0");
    start(true);
    assertThat(client.get(gw.port(), "/stamped").headers().get("X-Stamp")).isEqualTo("1.0.0");

    SteadyLoad load = SteadyLoad.start(vertx, 8, gw.port(), "/stamped", r -> r.status() == 200
        && ("1.0.0".equals(r.headers().get("X-Stamp")) || "2.0.0".equals(r.headers().get("X-Stamp"))));
    String last = "1.0.0";
    for (int i = 0; i < 8; i++) {
      last = i % 2 == 0 ? "2.0.0" : "1.0.0";
      stamp(last);
      Reply reloaded = admin(HttpMethod.POST, "/admin/plugins/reload");
      assertThat(reloaded.status()).as(reloaded.body()).isEqualTo(200);
      Thread.sleep(300);
    }
    load.stop();
    assertThat(load.failures()).isEmpty();
    assertThat(load.ok()).isGreaterThan(100);
    assertThat(client.get(gw.port(), "/stamped").headers().get("X-Stamp")).isEqualTo(last);
    await().atMost(Duration.ofSeconds(10)).until(() ->
        admin(HttpMethod.GET, "/admin/plugins").json().getInteger("retiringGenerations") == 0);
  }

  @Test
  void aJarStillUsedByARouteIsNotRemovedUnderIt() throws Exception {
    stamp("1.0.0");
    start(true);
    Files.delete(pluginsDir.resolve("stamp.jar"));
    // The refused generation does start a plugin of its own: it must not be announced as started.
    PluginJars.stampPlugin(work, pluginsDir.resolve("other.jar"), "other", "other-stamp", "3.0.0", ">=0.1.0");
    Reply refused;
    try (LogCapture logs = LogCapture.of("io.sluice.gateway.platform")) {
      refused = admin(HttpMethod.POST, "/admin/plugins/reload");
      assertThat(logs.lines()).noneMatch(l -> l.contains("started")).anyMatch(l -> l.startsWith("ERROR plugins refused"));
    }
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.key()).isEqualTo("PLUGINS_REFUSED");
    assertThat(refused.json().getJsonArray("errors").getList())
        .containsExactly("routes[stamped].policies[0].type: unknown policy type 'stamp' (known: count, header-consumer, misbehave, other-stamp, script, send, trace)");
    Files.delete(pluginsDir.resolve("other.jar"));
    assertThat(client.get(gw.port(), "/stamped").headers().get("X-Stamp")).isEqualTo("1.0.0");

    gw.rewrite(config(false));
    assertThat(admin(HttpMethod.POST, "/admin/reload").status()).isEqualTo(200);
    assertThat(admin(HttpMethod.POST, "/admin/plugins/reload").status()).isEqualTo(200);
    assertThat(admin(HttpMethod.GET, "/admin/plugins").json().getJsonArray("plugins")).isEmpty();
    assertThat(client.get(gw.port(), "/stamped").status()).isEqualTo(404);
  }

  @Test
  void refusesAPluginThatNeedsAnotherPlatformVersion() throws Exception {
    PluginJars.stampPlugin(work, pluginsDir.resolve("future.jar"), "future", "future-stamp", "1.0.0", ">=9.0.0");
    start(false);
    JsonObject plugin = admin(HttpMethod.GET, "/admin/plugins").json().getJsonArray("plugins").getJsonObject(0);
    assertThat(plugin.getString("id")).isEqualTo("future");
    assertThat(plugin.getString("state")).isNotEqualTo("STARTED");
    assertThat(plugin.getJsonArray("policyTypes")).isEmpty();
    assertThat(client.get(gw.port(), "/plain").status()).isEqualTo(200);
  }

  @Test
  void aBrokenJarIsRefusedAndTheRestLoads() throws Exception {
    Files.write(pluginsDir.resolve("broken.jar"), new byte[] {1, 2, 3, 4});
    stamp("1.0.0");
    start(true);
    assertThat(client.get(gw.port(), "/stamped").headers().get("X-Stamp")).isEqualTo("1.0.0");
    assertThat(admin(HttpMethod.GET, "/admin/plugins").json().getJsonArray("plugins").stream()
        .map(p -> ((JsonObject) p).getString("id"))).containsExactly("stamp");
  }

  @Test
  void loadsZipPluginsWithTheirOwnLibraries() throws Exception {
    PluginJars.zipPlugin(work, pluginsDir.resolve("shout.zip"), "shout", "shout", "1.0.0");
    gw = TestGateway.start(dir, config(false).replace(
        "  - { id: plain, path: /plain, upstream: app }",
        "  - { id: plain, path: /plain, upstream: app, policies: [ { type: shout } ] }"));
    Reply reply = client.get(gw.port(), "/plain");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.headers().get("X-Shout")).isEqualTo("1.0.0!");
    try (var files = Files.list(pluginsDir)) {
      assertThat(files.map(p -> p.getFileName().toString()).toList())
          .as("the plugins directory is left as the user made it").containsExactly("shout.zip");
    }
  }

  @Test
  void oldPluginClassLoadersAreReleased() throws Exception {
    stamp("1.0.0");
    start(true);
    List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      loaders.add(new WeakReference<>(
          gw.gateway.plugins().registry().get("stamp").factory().getClass().getClassLoader()));
      assertThat(client.get(gw.port(), "/stamped").status()).isEqualTo(200);
      assertThat(admin(HttpMethod.POST, "/admin/plugins/reload").status()).isEqualTo(200);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      System.gc();
      return loaders.stream().filter(r -> r.get() != null).count() <= 1;
    });
  }
}
