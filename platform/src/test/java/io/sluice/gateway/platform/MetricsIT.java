// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import static io.sluice.gateway.platform.TestClient.headers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.gateway.platform.TestClient.Reply;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics}: the exchanges just sent, counted by route, method and status class, behind the token. */
@ExtendWith(VertxExtension.class)
class MetricsIT {

  @TempDir Path dir;

  private static final MultiMap TOKEN = headers("Authorization", "Bearer " + TestGateway.ADMIN_TOKEN);

  @Test
  void countsExchangesByRouteMethodAndStatusClass(Vertx vertx) throws Exception {
    try (TestBackend backend = TestBackend.start(vertx, req -> req.response()
            .setStatusCode(req.path().endsWith("/missing") ? 404 : 200).end("hello"));
        TestGateway gw = TestGateway.start(dir, """
            routes:
              - id: users
                path: /users/**
                upstream: %s
              - id: orders
                path: /orders/**
                upstream: %s
            """.formatted(backend.url(), backend.url()));
        TestClient client = new TestClient(vertx)) {
      for (int i = 0; i < 7; i++) {
        assertThat(client.get(gw.port(), "/users/" + i).status()).isEqualTo(200);
      }
      for (int i = 0; i < 3; i++) {
        assertThat(client.get(gw.port(), "/users/missing").status()).isEqualTo(404);
      }
      assertThat(client.send(HttpMethod.POST, gw.port(), "/orders/1", MultiMap.caseInsensitiveMultiMap(),
          Buffer.buffer("{}")).status()).isEqualTo(200);
      assertThat(client.get(gw.port(), "/nowhere").status()).isEqualTo(404);

      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        String text = client.get(gw.adminPort(), "/metrics", TOKEN).body();
        assertThat(sample(text, "sluice_requests_total", "method=\"GET\"", "route=\"users\"", "status=\"2xx\""))
            .isEqualTo(7.0);
        assertThat(sample(text, "sluice_requests_total", "method=\"GET\"", "route=\"users\"", "status=\"4xx\""))
            .isEqualTo(3.0);
        assertThat(sample(text, "sluice_requests_total", "method=\"POST\"", "route=\"orders\"", "status=\"2xx\""))
            .isEqualTo(1.0);
        assertThat(sample(text, "sluice_requests_total", "route=\"(none)\"", "status=\"4xx\"")).isEqualTo(1.0);
        assertThat(sample(text, "sluice_request_latency_seconds_count", "route=\"users\"", "status=\"2xx\""))
            .isEqualTo(7.0);
        assertThat(sample(text, "sluice_upstream_latency_seconds_count", "route=\"users\"")).isEqualTo(10.0);
        assertThat(sample(text, "sluice_response_bytes_sum", "route=\"users\"")).isGreaterThan(0.0);
        assertThat(sample(text, "sluice_config_reloads_total", "outcome=\"applied\"")).isEqualTo(1.0);
        assertThat(sample(text, "sluice_upstream_attempts_total", "outcome=\"success\"")).isEqualTo(11.0);
        assertThat(sample(text, "sluice_connections")).isGreaterThanOrEqualTo(0.0);
        assertThat(text).contains("jvm_memory_used_bytes");
      });
    }
  }

  /**
   * The meters of what goes wrong upstream, by value: a target that resets connections is retried away from
   * and ejected (retries and ejections counted, the target shown ejected), a target answering 500s opens its
   * breaker (state 1); and a request body's bytes, and the open client connection.
   */
  @Test
  void countsRetriesEjectionsAnOpenBreakerRequestBytesAndConnections(Vertx vertx) throws Exception {
    try (TestBackend resetting = TestBackend.start(vertx, r -> r.connection().close());
        TestBackend failing = TestBackend.start(vertx, r -> r.response().setStatusCode(500).end("failed"));
        TestBackend good = TestBackend.named(vertx, "good");
        TestGateway gw = TestGateway.start(dir, """
            upstreams:
              ej:
                targets: ["%1$s", "%3$s"]
                outlierDetection: { consecutiveFailures: 3, baseEjectionTime: 60s }
              br:
                targets: ["%2$s", "%3$s"]
                outlierDetection: { consecutiveFailures: 0 }
                circuitBreaker: { failureRatePercent: 50, window: 4, minimumRequests: 4, openFor: 60s, trialRequests: 2 }
                retries: { attempts: 0 }
            routes:
              - { id: ej, path: "/ej/**", upstream: ej }
              - { id: br, path: "/br/**", upstream: br }
            """.formatted(resetting.url(), failing.url(), good.url()));
        TestClient client = new TestClient(vertx)) {
      String resetTarget = "target=\"127.0.0.1:" + resetting.port() + "\"";
      String failTarget = "target=\"127.0.0.1:" + failing.port() + "\"";
      for (int i = 0; i < 8; i++) {
        assertThat(client.get(gw.port(), "/ej/" + i).status()).as("retries hide the resets").isEqualTo(200);
      }
      for (int i = 0; i < 8; i++) {
        client.get(gw.port(), "/br/" + i);
      }
      Buffer body = Buffer.buffer("x".repeat(300));
      assertThat(client.send(HttpMethod.POST, gw.port(), "/ej/post", MultiMap.caseInsensitiveMultiMap(), body).status())
          .isEqualTo(200);

      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        String text = scrape(client, gw);
        assertThat(sample(text, "sluice_upstream_ejections_total", resetTarget)).isEqualTo(1.0);
        assertThat(sample(text, "sluice_upstream_target_ejected", resetTarget)).isEqualTo(1.0);
        assertThat(sample(text, "sluice_upstream_retries_total", "route=\"ej\"")).as("one retry per reset")
            .isEqualTo(3.0);
        assertThat(sample(text, "sluice_upstream_retries_total", "route=\"br\"")).isEqualTo(0.0);
        assertThat(sample(text, "sluice_upstream_target_breaker_state", failTarget)).as("open").isEqualTo(1.0);
        assertThat(sample(text, "sluice_request_bytes_sum", "route=\"ej\"")).isEqualTo(300.0);
        assertThat(sample(text, "sluice_connections")).as("the test client's keep-alive connection").isGreaterThan(0.0);
      });
    }
  }

  @Test
  void answersOpenMetricsWhenAskedAndOnlyWithTheToken(Vertx vertx) throws Exception {
    try (TestGateway gw = TestGateway.start(dir, "");
        TestClient client = new TestClient(vertx)) {
      assertThat(client.get(gw.adminPort(), "/metrics").status()).isEqualTo(401);
      Reply plain = client.get(gw.adminPort(), "/metrics", TOKEN);
      assertThat(plain.status()).isEqualTo(200);
      assertThat(plain.headers().get("Content-Type")).startsWith("text/plain; version=0.0.4");
      MultiMap om = headers("Authorization", "Bearer " + TestGateway.ADMIN_TOKEN,
          "Accept", "application/openmetrics-text; version=1.0.0, text/plain;q=0.5");
      Reply open = client.get(gw.adminPort(), "/metrics", om);
      assertThat(open.headers().get("Content-Type")).startsWith("application/openmetrics-text");
      assertThat(open.body()).endsWith("# EOF\n");
    }
  }

  @Test
  void isOffWhenDisabled(Vertx vertx) throws Exception {
    try (TestGateway gw = TestGateway.start(dir, "metrics: { enabled: false }\n");
        TestClient client = new TestClient(vertx)) {
      Reply reply = client.get(gw.adminPort(), "/metrics", TOKEN);
      assertThat(reply.status()).isEqualTo(404);
      assertThat(reply.key()).isEqualTo("METRICS_DISABLED");
    }
  }

  @Test
  void countsConsumersUpToTheBoundAndTheRestAsOther(Vertx vertx) throws Exception {
    try (TestBackend backend = TestBackend.start(vertx, req -> req.response().end("ok"));
        TestGateway gw = TestGateway.start(dir, """
            metrics: { consumers: { maxLabels: 2 } }
            consumers: [{ id: alice }, { id: bob }, { id: carol }]
            routes:
              - { id: a, path: /a, upstream: "%1$s", authentication: { anonymous: alice } }
              - { id: b, path: /b, upstream: "%1$s", authentication: { anonymous: bob } }
              - { id: c, path: /c, upstream: "%1$s", authentication: { anonymous: carol } }
              - { id: open, path: /open, upstream: "%1$s" }
            """.formatted(backend.url()));
        TestClient client = new TestClient(vertx)) {
      send(client, gw, "/a", 3);
      send(client, gw, "/b", 2);
      send(client, gw, "/c", 4);
      send(client, gw, "/open", 1);
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        String text = scrape(client, gw);
        assertThat(sample(text, "sluice_consumer_requests_total", "consumer=\"alice\"", "status=\"2xx\"")).isEqualTo(3.0);
        assertThat(sample(text, "sluice_consumer_requests_total", "consumer=\"bob\"")).isEqualTo(2.0);
        assertThat(sample(text, "sluice_consumer_requests_total", "consumer=\"other\"")).isEqualTo(4.0);
        assertThat(sample(text, "sluice_consumer_requests_total", "consumer=\"(none)\"")).isEqualTo(1.0);
        assertThat(text).doesNotContain("consumer=\"carol\"");
      });
    }
  }

  @Test
  void timesPoliciesByTypeCountsTheirFailuresAndThePluginsOwnCounters(Vertx vertx) throws Exception {
    try (TestBackend backend = TestBackend.start(vertx, req -> req.response().end("ok"));
        TestGateway gw = TestGateway.start(dir, """
            routes:
              - id: p
                path: /p
                upstream: "%1$s"
                policies: [{ type: trace, config: { name: t } }, { type: count }]
              - id: f
                path: /f
                upstream: "%1$s"
                policies: [{ type: misbehave, config: { mode: THROW } }]
            """.formatted(backend.url()));
        TestClient client = new TestClient(vertx)) {
      send(client, gw, "/p", 5);
      for (int i = 0; i < 2; i++) {
        assertThat(client.get(gw.port(), "/f").key()).isEqualTo("POLICY_ERROR");
      }
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        String text = scrape(client, gw);
        assertThat(sample(text, "sluice_policy_duration_seconds_count", "route=\"p\"", "policy=\"trace\"")).isEqualTo(5.0);
        assertThat(sample(text, "sluice_policy_duration_seconds_count", "route=\"p\"", "policy=\"count\"")).isEqualTo(5.0);
        assertThat(sample(text, "sluice_policy_duration_seconds_sum", "route=\"p\"", "policy=\"trace\"")).isGreaterThan(0.0);
        assertThat(sample(text, "sluice_policy_duration_seconds_bucket", "route=\"p\"", "policy=\"trace\"", "le=\"+Inf\""))
            .isEqualTo(5.0);
        assertThat(sample(text, "sluice_policy_failures_total", "route=\"p\"")).isEqualTo(0.0);
        assertThat(sample(text, "sluice_policy_failures_total", "route=\"f\"", "policy=\"misbehave\"")).isEqualTo(2.0);
        assertThat(sample(text, "sluice_plugin_count_seen_total", "route=\"p\"")).isEqualTo(5.0);
        assertThat(sample(text, "sluice_requests_total", "route=\"f\"", "status=\"5xx\"")).isEqualTo(2.0);
      });
    }
  }

  @Test
  void reportsRequestsInFlightAndTargetStateAndDropsTargetsAReloadRemoves(Vertx vertx) throws Exception {
    java.util.concurrent.CompletableFuture<Void> release = new java.util.concurrent.CompletableFuture<>();
    io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> holding = req -> {
      if (req.path().equals("/hold")) {
        io.vertx.core.Context context = vertx.getOrCreateContext();
        release.thenRun(() -> context.runOnContext(v -> req.response().end("late")));
      } else {
        req.response().end("ok");
      }
    };
    try (TestBackend slow = TestBackend.start(vertx, holding);
        TestBackend other = TestBackend.start(vertx, holding);
        TestGateway gw = TestGateway.start(dir, TestGateway.pool("", slow, other));
        TestClient client = new TestClient(vertx)) {
      String slowTarget = "target=\"127.0.0.1:" + java.net.URI.create(slow.url()).getPort() + "\"";
      String otherTarget = "target=\"127.0.0.1:" + java.net.URI.create(other.url()).getPort() + "\"";
      var held = java.util.concurrent.CompletableFuture.supplyAsync(() -> client.get(gw.port(), "/hold"));
      try {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
          String text = scrape(client, gw);
          assertThat(sample(text, "sluice_requests_in_flight")).isEqualTo(1.0);
          assertThat(sample(text, "sluice_upstream_target_in_flight", slowTarget)
              + sample(text, "sluice_upstream_target_in_flight", otherTarget)).isEqualTo(1.0);
        });
      } finally {
        release.complete(null);
      }
      assertThat(held.get(10, java.util.concurrent.TimeUnit.SECONDS).status())
          .isEqualTo(200);
      String text = scrape(client, gw);
      for (String target : new String[] {slowTarget, otherTarget}) {
        assertThat(sample(text, "sluice_upstream_target_available", "upstream=\"pool\"", target)).isEqualTo(1.0);
        assertThat(sample(text, "sluice_upstream_target_healthy", target)).isEqualTo(1.0);
        assertThat(sample(text, "sluice_upstream_target_ejected", target)).isEqualTo(0.0);
        assertThat(sample(text, "sluice_upstream_target_breaker_state", target)).isEqualTo(0.0);
      }
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(sample(scrape(client, gw), "sluice_requests_in_flight")).isEqualTo(0.0));

      gw.rewrite(TestGateway.pool("", other));
      gw.gateway.reload("test").toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
      String after = scrape(client, gw);
      assertThat(after).doesNotContain(slowTarget);
      assertThat(sample(after, "sluice_upstream_target_available", otherTarget)).isEqualTo(1.0);
      assertThat(sample(after, "sluice_config_reloads_total", "outcome=\"applied\"")).isEqualTo(2.0);
    }
  }

  @Test
  void aThousandReloadsLeaveAsManyMetersAsOneAndARefusedOneLeavesNone(Vertx vertx) throws Exception {
    try (TestBackend backend = TestBackend.start(vertx, req -> req.response().end("ok"));
        TestGateway gw = TestGateway.start(dir, generation(0, backend));
        TestClient client = new TestClient(vertx)) {
      int baseline = -1;
      for (int i = 1; i <= 1000; i++) {
        gw.rewrite(generation(i, backend));
        gw.gateway.reload("test").toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(client.get(gw.port(), "/g" + i).status()).isEqualTo(200);
        if (i == 10) {
          // The target gauges are made when the new upstreams start serving, just after the reload completes.
          await().atMost(Duration.ofSeconds(10)).until(() -> scrape(client, gw)
              .contains("sluice_upstream_target_available{service=\"sluice\",target=\"127.0.0.1:20010\",upstream=\"u10\"}"));
          baseline = seriesOf(scrape(client, gw), "sluice_");
        }
      }
      int expected = baseline;
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(seriesOf(scrape(client, gw), "sluice_")).isEqualTo(expected));
      String text = scrape(client, gw);
      assertThat(text).doesNotContain("route=\"g999\"").contains("route=\"g1000\"");

      gw.rewrite(generation(1001, backend) + """
            - { id: broken, path: /broken, upstream: nowhere, policies: [{ type: count }] }
          """);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> gw.gateway.reload("test").toCompletionStage()
          .toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS)).hasMessageContaining("refused");
      String refused = scrape(client, gw);
      assertThat(refused).doesNotContain("route=\"g1001\"").doesNotContain("route=\"broken\"");
      assertThat(sample(refused, "sluice_config_reloads_total", "outcome=\"refused\"")).isEqualTo(1.0);
    }
  }

  /** One route with two policies over one upstream whose target's port is made up per generation (never called). */
  private static String generation(int i, TestBackend backend) {
    return """
        upstreams:
          u%1$d: { targets: ["http://127.0.0.1:%3$d"] }
        routes:
          - { id: g%1$d, path: /g%1$d, upstream: "%2$s", policies: [{ type: trace, config: { name: t } }, { type: count }] }
        """.formatted(i, backend.url(), 20_000 + i);
  }

  /** How many samples (lines that are not comments) start with {@code prefix}. */
  private static int seriesOf(String text, String prefix) {
    int n = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith(prefix)) {
        n++;
      }
    }
    return n;
  }

  private static void send(TestClient client, TestGateway gw, String path, int times) throws Exception {
    for (int i = 0; i < times; i++) {
      assertThat(client.get(gw.port(), path).status()).isEqualTo(200);
    }
  }

  private static String scrape(TestClient client, TestGateway gw) throws Exception {
    return client.get(gw.adminPort(), "/metrics", TOKEN).body();
  }

  /** The value of the one sample of {@code name} whose labels include every one of {@code labels}, or -1. */
  static double sample(String text, String name, String... labels) {
    double found = -1;
    for (String line : text.split("\n")) {
      if (!line.startsWith(name + "{")) {
        continue;
      }
      String labelPart = line.substring(name.length(), line.lastIndexOf('}') + 1);
      boolean all = true;
      for (String l : labels) {
        all &= labelPart.contains(l);
      }
      if (all) {
        double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        found = found < 0 ? v : found + v;
      }
    }
    return found;
  }
}
