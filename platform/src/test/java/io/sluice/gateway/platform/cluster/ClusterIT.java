// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.gateway.platform.PluginJars;
import io.sluice.gateway.testkit.GatewayProcess;
import io.sluice.gateway.testkit.TestBackend;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three gateways as separate JVMs on 127.0.0.1 forming one Hazelcast cluster for the whole class (and a
 * fourth that joins late): the shared configuration, drift, the cluster facade across nodes and the loss
 * of a node. The tests run in order, each building on the state the previous one left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

  private static final String TOKEN = "cluster-it-admin-token";
  private static final Duration PROPAGATION = Duration.ofSeconds(15);

  @TempDir static Path dir;
  private static TestBackend backend;
  private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final String name = "it-" + UUID.randomUUID();
  private static final List<GatewayProcess.Ports> ports = new ArrayList<>();
  private static final Map<String, GatewayProcess> nodes = new java.util.concurrent.ConcurrentHashMap<>();

  private static final String STAMP = """
      async function onRequest(exchange) {
        const v = exchange.request.header('X-Put');
        if (v) {
          await cluster.put('shared', v, 600000);
          await cluster.cachePut('shared', v, 600000);
        }
        exchange.put('count', String(await cluster.increment('hits', 1, 600000)));
        exchange.put('stored', String(await cluster.get('shared')));
        exchange.put('cached', String(await cluster.cacheGet('shared')));
      }
      function onResponse(exchange) {
        exchange.response.setHeader('X-Count', exchange.get('count'));
        exchange.response.setHeader('X-Stored', exchange.get('stored'));
        exchange.response.setHeader('X-Cached', exchange.get('cached'));
      }
      """;

  @BeforeAll
  static void startThreeNodes() throws Exception {
    backend = new TestBackend();
    for (int i = 0; i < 4; i++) {
      ports.add(GatewayProcess.Ports.free());
    }
    for (String node : List.of("a", "b", "c", "d")) {
      Files.createDirectories(dir.resolve(node).resolve("policies"));
      write(node, "");
    }
    // A and B have the script; C lacks it until a test adds it.
    Files.writeString(dir.resolve("a/policies/stamp.js"), STAMP);
    Files.writeString(dir.resolve("b/policies/stamp.js"), STAMP);
    Files.writeString(dir.resolve("d/policies/stamp.js"), STAMP);
    // D alone has an extra plugin: its plugin set differs from the others'.
    PluginJars.stampPlugin(dir.resolve("work"), Files.createDirectories(dir.resolve("d/plugins")).resolve("extra.jar"),
        "extra", "extra-stamp", "1.0.0", ">=0.1.0");
    List<CompletableFuture<Void>> starting = new ArrayList<>();
    for (String node : List.of("a", "b", "c")) {
      starting.add(CompletableFuture.runAsync(() -> nodes.put(node, start(node))));
    }
    CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).join();
  }

  @AfterAll
  static void stopAll() throws IOException {
    nodes.values().parallelStream().forEach(GatewayProcess::close);
    // The nodes' logs outlive the temporary directory, for a failure's post-mortem.
    Path logs = Files.createDirectories(Path.of("target", "cluster-it-logs"));
    for (String node : List.of("a", "b", "c", "d")) {
      Path log = dir.resolve(node).resolve(node + ".log");
      if (Files.exists(log)) {
        Files.copy(log, logs.resolve(node + ".log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (backend != null) {
      backend.close();
    }
  }

  private static GatewayProcess start(String node) {
    GatewayProcess.Ports p = ports.get(node.charAt(0) - 'a');
    return GatewayProcess.start(node, dir.resolve(node).resolve("sluice.yaml"), p);
  }

  /** A node's file: its own sections, then the shared ones ({@code extraRoutes} added to route v1). */
  private static void write(String node, String extraRoutes) throws IOException {
    GatewayProcess.Ports p = ports.get(node.charAt(0) - 'a');
    String members = ports.stream().map(q -> "127.0.0.1:" + q.cluster()).collect(Collectors.joining(", "));
    Files.writeString(dir.resolve(node).resolve("sluice.yaml"), """
        server: { host: 127.0.0.1, port: %d, eventLoops: 1 }
        admin: { host: 127.0.0.1, port: %d, token: %s }
        health: { host: 127.0.0.1, port: %d }
        reload: { interval: 200ms }
        plugins: { dir: plugins }
        cluster: { backend: hazelcast, name: %s, port: %d, portAutoIncrement: false, members: [%s] }
        """.formatted(p.proxy(), p.admin(), TOKEN, p.health(), name, p.cluster(), members) + "\n" + routes(extraRoutes));
  }

  private static String routes(String extra) {
    return """
        scripts: { dir: policies, watch: true }
        upstreams:
          app: { targets: ["%s"] }
        routes:
          - { id: v1, path: /v1/**, upstream: app }
        %s""".formatted(backend.url(), extra);
  }

  private static final String V2 = "  - { id: v2, path: /v2/**, upstream: app }\n";
  private static final String SCRIPTED = "  - { id: s, path: /s/**, upstream: app, policies: [ { type: script,"
      + " config: { file: stamp.js, timeout: 10s } } ] }\n";

  @Test
  @Order(1)
  void aConfigurationAppliedOnOneNodeReachesTheOthers() throws Exception {
    for (String node : List.of("a", "b", "c")) {
      assertThat(get(node, "/v1/x").statusCode()).isEqualTo(200);
      assertThat(get(node, "/v2/x").statusCode()).isEqualTo(404);
    }
    for (String node : List.of("a", "b", "c")) {
      JsonObject cluster = cluster(node);
      JsonObject self = member(cluster, ports.get(node.charAt(0) - 'a').cluster());
      assertThat(self.getBoolean("self")).as("%s marks itself", node).isTrue();
      assertThat(cluster.getString("self")).as("%s's self is its own member", node).isEqualTo(self.getString("uuid"));
      assertThat(cluster.getJsonArray("members").stream().filter(m -> ((JsonObject) m).getBoolean("self")).count())
          .isEqualTo(1);
    }
    write("a", V2);
    // Measured, not asserted: from sending the reload to A until B, then C, serve the new route (polled every 5 ms).
    long sent = System.nanoTime();
    assertThat(post("a", "/admin/reload").statusCode()).isEqualTo(200);
    long appliedOnA = System.nanoTime();
    Map<String, Long> seen = new java.util.TreeMap<>();
    for (String node : List.of("b", "c")) {
      await().atMost(PROPAGATION).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
          .until(() -> get(node, "/v2/x").statusCode() == 200);
      seen.put(node, System.nanoTime());
    }
    System.out.printf("propagation: POST /admin/reload on a answered in %d ms; b served the new configuration %d ms"
        + " after the POST was sent, c %d ms (c polled after b)%n", (appliedOnA - sent) / 1_000_000,
        (seen.get("b") - sent) / 1_000_000, (seen.get("c") - sent) / 1_000_000);
    JsonObject cluster = cluster("b");
    assertThat(cluster.getJsonArray("members")).hasSize(3);
    assertThat(cluster.getJsonObject("config").getLong("version")).isGreaterThanOrEqualTo(2);
    await().atMost(PROPAGATION).until(() -> cluster("c").getJsonArray("drift").isEmpty());
  }

  @Test
  @Order(2)
  void aNodeThatJoinsLateTakesTheClustersCopyOverItsFile() throws Exception {
    GatewayProcess d = start("d");
    nodes.put("d", d);
    assertThat(get("d", "/v2/x").statusCode()).as("v2 is not in d's file, only in the cluster's copy").isEqualTo(200);
    assertThat(cluster("d").getJsonArray("members")).hasSize(4);
    // d's plugin set (the extra plugin) differs from the others': drift on every node, and d warns once.
    await().atMost(PROPAGATION).until(() -> cluster("a").getJsonArray("drift").encode().contains("plugin sets differ"));
    assertThat(member(cluster("b"), ports.get(3).cluster()).getJsonArray("plugins").encode()).contains("\"extra\"");
    Path log = dir.resolve("d/d.log");
    for (int i = 0; i < 3; i++) {
      String line = "plugin sets differ: [127.0.0.1]:" + ports.get(i).cluster() + " ";
      await().atMost(PROPAGATION).until(() -> Files.readString(log).contains(line));
      assertThat(Files.readString(log).split(java.util.regex.Pattern.quote(line), -1))
          .as("d warns once about each member whose set differs").hasSize(2);
    }
    assertThat(d.terminate(Duration.ofSeconds(30))).as("SIGTERM ends the node (it leaves the cluster)").isNotEqualTo(-1);
    nodes.remove("d");
    await().atMost(PROPAGATION).until(() -> cluster("a").getJsonArray("members").size() == 3);
  }

  @Test
  @Order(3)
  void aCopyOneNodeRefusesKeepsItServingTheOldOneAndShowsAsDrift() throws Exception {
    write("a", V2 + SCRIPTED);
    assertThat(post("a", "/admin/reload").statusCode()).isEqualTo(200);
    await().atMost(PROPAGATION).until(() -> get("b", "/s/x").statusCode() == 200);
    await().atMost(PROPAGATION).until(() -> cluster("a").getJsonArray("drift").encode().contains("refused"));
    JsonObject report = member(cluster("a"), ports.get(2).cluster());
    assertThat(report.getJsonObject("last").getString("state")).isEqualTo("refused");
    assertThat(report.getJsonObject("last").getJsonArray("problems").encode()).contains("stamp.js");
    assertThat(get("c", "/s/x").statusCode()).as("c keeps its previous configuration").isEqualTo(404);
    assertThat(get("c", "/v2/x").statusCode()).isEqualTo(200);

    // The operator adds the missing file on c: c takes the cluster's copy, and the drift is gone.
    Files.writeString(dir.resolve("c/policies/stamp.js"), STAMP);
    await().atMost(PROPAGATION).until(() -> get("c", "/s/x").statusCode() == 200);
    await().atMost(PROPAGATION).until(() -> cluster("a").getJsonArray("drift").isEmpty());
  }

  /**
   * A node that starts without a file the cluster's copy needs has nothing older to serve: it does not start
   * (exit code 2, the problem named), and the cluster goes on without it (docs/clustering.md).
   */
  @Test
  @Order(4)
  void aNodeThatCannotCompileTheClustersCopyAtStartExitsWith2() throws Exception {
    Files.delete(dir.resolve("d/policies/stamp.js"));
    assertThatThrownBy(() -> start("d")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("node d exited with 2").hasMessageContaining("stamp.js");
    await().atMost(PROPAGATION).until(() -> cluster("a").getJsonArray("members").size() == 3);
    assertThat(get("a", "/s/x").statusCode()).isEqualTo(200);
    Files.writeString(dir.resolve("d/policies/stamp.js"), STAMP); // d starts again after the kill (order 7)
  }

  @Test
  @Order(5)
  void storeAndCacheValuesPutOnOneNodeAreReadOnAnother() throws Exception {
    HttpResponse<String> put = send("a", HttpRequest.newBuilder(uri("a", "/s/put")).header("X-Put", "hello").GET());
    assertThat(put.statusCode()).isEqualTo(200);
    HttpResponse<String> read = get("c", "/s/read");
    assertThat(read.headers().firstValue("X-Stored")).hasValue("hello");
    assertThat(read.headers().firstValue("X-Cached")).hasValue("hello");
    // The state sizes count what the JS calls created: one counter (hits), one store entry, one cache entry,
    // each owned by exactly one member.
    for (String map : List.of("counters", "stores", "cache")) {
      await().atMost(PROPAGATION).untilAsserted(() -> {
        long owned = 0;
        for (String node : List.of("a", "b", "c")) {
          JsonObject state = cluster(node).getJsonObject("state").getJsonObject(map);
          assertThat(state.getInteger("entries")).as("%s entries seen from %s", map, node).isEqualTo(1);
          owned += state.getInteger("ownedHere");
        }
        assertThat(owned).as("%s entries owned across the members", map).isEqualTo(1);
      });
    }
    assertThat(cluster("a").getJsonObject("state").getJsonObject("budgets").getInteger("entries")).isZero();
  }

  @Test
  @Order(6)
  void aRollingRestartKeepsTheConfigurationAndTheState() throws Exception {
    long before = count(get("c", "/s/count"));
    assertThat(nodes.remove("c").terminate(Duration.ofSeconds(30))).as("c stops on SIGTERM").isNotEqualTo(-1);
    assertThat(count(get("a", "/s/count"))).as("c's partitions were handed over").isEqualTo(before + 1);
    // c's file still has only v1: the restarted node takes the cluster's copy.
    nodes.put("c", start("c"));
    assertThat(get("c", "/v2/x").statusCode()).isEqualTo(200);
    assertThat(count(get("c", "/s/count"))).isEqualTo(before + 2);
    await().atMost(PROPAGATION).until(() -> cluster("a").getJsonArray("drift").isEmpty());
  }

  @Test
  @Order(7)
  void survivorsOfAKilledNodeKeepServingAndKeepTheCounters() throws Exception {
    // The victim is the member that owns the counter's partition (the only counter entry: ownedHere 1 there),
    // the same in two reads half a second apart (no migration under way): its death must promote the backup.
    String[] last = {null};
    String victim = await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(500)).until(() -> {
      String owner = counterOwner(List.of("a", "b", "c"));
      String previous = last[0];
      last[0] = owner;
      return owner != null && owner.equals(previous) ? owner : null;
    }, java.util.Objects::nonNull);
    List<String> survivors = new ArrayList<>(List.of("a", "b", "c"));
    survivors.remove(victim);
    long version = cluster(victim).getJsonObject("config").getLong("version");
    long before = count(get(victim, "/s/count"));
    for (int i = 0; i < 20; i++) {
      get(victim, "/s/count");
    }
    nodes.remove(victim).kill();
    long after = count(get(survivors.get(0), "/s/count"));
    assertThat(after).as("the counter survived the death of %s, its owner (backups)", victim).isEqualTo(before + 21);
    for (int i = 0; i < 10; i++) {
      assertThat(get(survivors.get(i % 2), "/v1/x").statusCode()).isEqualTo(200);
    }
    assertThat(count(get(survivors.get(1), "/s/count"))).isEqualTo(before + 22);
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster(survivors.get(1)).getJsonArray("members").size() == 2);
    await().atMost(PROPAGATION).until(() -> counterOwner(survivors) != null);
    System.out.printf("killed %s, the owner of the counter's partition; %s now owns it%n", victim,
        counterOwner(survivors));

    // The shared configuration survived too: a node started now (its file has only v1) gets the current copy.
    nodes.put("d", start("d"));
    assertThat(get("d", "/v2/x").statusCode()).isEqualTo(200);
    assertThat(get("d", "/s/x").statusCode()).isEqualTo(200);
    assertThat(cluster("d").getJsonObject("config").getLong("version")).isEqualTo(version);
    assertThat(count(get("d", "/s/count"))).as("the counter, after d's /s/x counted too").isEqualTo(before + 24);
  }

  /** The one node of {@code among} whose report says it owns the only counter entry, or null. */
  private static String counterOwner(List<String> among) throws Exception {
    String owner = null;
    for (String node : among) {
      JsonObject counters = cluster(node).getJsonObject("state").getJsonObject("counters");
      if (counters.getInteger("entries") != 1) {
        return null; // the only counter is hits; another count is a promotion under way
      }
      if (counters.getInteger("ownedHere") == 1) {
        if (owner != null) {
          return null; // two owners: a migration under way
        }
        owner = node;
      }
    }
    return owner;
  }

  private static long count(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(200);
    return Long.parseLong(response.headers().firstValue("X-Count").orElseThrow());
  }

  private static JsonObject member(JsonObject cluster, int clusterPort) {
    for (Object m : cluster.getJsonArray("members", new JsonArray())) {
      JsonObject member = (JsonObject) m;
      if (member.getString("address", "").endsWith(":" + clusterPort)) {
        return member;
      }
    }
    throw new AssertionError("no member on port " + clusterPort + " in " + cluster.encodePrettily());
  }

  private static JsonObject cluster(String node) throws Exception {
    HttpResponse<String> r = send(node, HttpRequest.newBuilder(admin(node, "/admin/cluster"))
        .header("Authorization", "Bearer " + TOKEN).GET());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  private static HttpResponse<String> post(String node, String path) throws Exception {
    HttpResponse<String> r = send(node, HttpRequest.newBuilder(admin(node, path))
        .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r;
  }

  private static HttpResponse<String> get(String node, String path) throws Exception {
    return send(node, HttpRequest.newBuilder(uri(node, path)).GET());
  }

  private static HttpResponse<String> send(String node, HttpRequest.Builder request) throws Exception {
    return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(String node, String path) {
    return URI.create("http://127.0.0.1:" + ports.get(node.charAt(0) - 'a').proxy() + path);
  }

  private static URI admin(String node, String path) {
    return URI.create("http://127.0.0.1:" + ports.get(node.charAt(0) - 'a').admin() + path);
  }
}
