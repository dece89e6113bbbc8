// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.gateway.testkit.GatewayProcess;
import io.sluice.gateway.testkit.TestBackend;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateways in JVMs of their own forming a Hazelcast cluster on 127.0.0.1: each counts the traffic it
 * serves, and {@code GET /admin/analytics} on either answers the sum of both, histograms merged, with both
 * nodes listed; once one leaves, the other answers its own share only.
 */
class AnalyticsClusterIT {

  private static final String TOKEN = "analytics-cluster-it-token";

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void eachNodeAnswersTheTrafficOfBothMerged() throws Exception {
    String name = "analytics-it-" + UUID.randomUUID();
    List<GatewayProcess.Ports> ports = List.of(GatewayProcess.Ports.free(), GatewayProcess.Ports.free());
    Map<String, GatewayProcess> nodes = new LinkedHashMap<>();
    try (TestBackend backend = new TestBackend()) {
      List<CompletableFuture<Void>> starting = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        String node = i == 0 ? "a" : "b";
        GatewayProcess.Ports p = ports.get(i);
        Path file = dir.resolve(node).resolve("sluice.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, """
            server: { host: 127.0.0.1, port: %d, eventLoops: 1 }
            admin: { host: 127.0.0.1, port: %d, token: %s }
            health: { host: 127.0.0.1, port: %d }
            accessLog: { enabled: false }
            analytics: { publishInterval: 200ms }
            cluster: { backend: hazelcast, name: %s, port: %d, portAutoIncrement: false,
                       members: [127.0.0.1:%d, 127.0.0.1:%d] }
            routes:
              - { id: ok, path: /ok/**, upstream: "%s" }
              - { id: dead, path: /dead/**, upstream: "http://127.0.0.1:1" }
            """.formatted(p.proxy(), p.admin(), TOKEN, p.health(), name, p.cluster(), ports.get(0).cluster(),
            ports.get(1).cluster(), backend.url()));
        starting.add(CompletableFuture.runAsync(() -> {
          GatewayProcess started = GatewayProcess.start(node, file, p);
          synchronized (nodes) {
            nodes.put(node, started);
          }
        }));
      }
      CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).join();
      GatewayProcess a = nodes.get("a");
      GatewayProcess b = nodes.get("b");
      await().atMost(Duration.ofSeconds(20)).until(() -> analytics(a, "").getJsonArray("nodes").size() == 2);

      for (int i = 0; i < 7; i++) {
        assertThat(get(a, "/ok/" + i).statusCode()).isEqualTo(200);
      }
      for (int i = 0; i < 4; i++) {
        assertThat(get(b, "/ok/" + i).statusCode()).isEqualTo(200);
      }
      for (int i = 0; i < 3; i++) {
        assertThat(get(b, "/dead/" + i).statusCode()).isEqualTo(502);
      }

      for (GatewayProcess node : List.of(a, b)) {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
          JsonObject merged = analytics(node, "?by=route");
          assertThat(merged.getJsonObject("totals").getLong("requests")).isEqualTo(14);
          assertThat(merged.getJsonObject("totals").getLong("errors")).isEqualTo(3);
          assertThat(groups(merged)).containsExactly(Map.entry("ok", 11L), Map.entry("dead", 3L));
        });
        JsonObject merged = analytics(node, "?by=route");
        assertThat(merged.getJsonArray("nodes").getList()).containsExactlyInAnyOrder(
            "127.0.0.1:" + ports.get(0).cluster(), "127.0.0.1:" + ports.get(1).cluster());
        long seriesTotal = merged.getJsonArray("series").stream().mapToLong(o -> ((JsonObject) o).getLong("requests"))
            .sum();
        assertThat(seriesTotal).isEqualTo(14);
        JsonObject latency = merged.getJsonObject("totals").getJsonObject("latencyMs");
        assertThat(latency.getDouble("p50")).isPositive().isLessThanOrEqualTo(latency.getDouble("p99"));
        assertThat(groups(analytics(node, "?by=status"))).containsExactly(Map.entry("2xx", 11L), Map.entry("5xx", 3L));
      }

      // b leaves: a answers its own exchanges only, and lists itself alone.
      assertThat(b.terminate(Duration.ofSeconds(30))).isNotEqualTo(-1);
      nodes.remove("b");
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        JsonObject alone = analytics(a, "");
        assertThat(alone.getJsonArray("nodes").getList()).containsExactly("127.0.0.1:" + ports.get(0).cluster());
        assertThat(alone.getJsonObject("totals").getLong("requests")).isEqualTo(7);
      });
    } finally {
      nodes.values().parallelStream().forEach(GatewayProcess::close);
      // The nodes' logs outlive the temporary directory, for a failure's post-mortem.
      Path logs = Files.createDirectories(Path.of("target", "analytics-cluster-it-logs"));
      for (String node : List.of("a", "b")) {
        Path log = dir.resolve(node).resolve(node + ".log");
        if (Files.exists(log)) {
          Files.copy(log, logs.resolve(node + ".log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private HttpResponse<String> get(GatewayProcess node, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(node.url() + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonObject analytics(GatewayProcess node, String params) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + node.ports().admin() + "/admin/analytics" + params))
        .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  private static Map<String, Long> groups(JsonObject answer) {
    Map<String, Long> groups = new LinkedHashMap<>();
    for (Object o : answer.getJsonArray("groups")) {
      JsonObject g = (JsonObject) o;
      groups.put(g.getString("key"), g.getLong("requests"));
    }
    return groups;
  }
}
