// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.gateway.platform.TestClient.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Active checks, passive ejection, circuit breakers and the all-unhealthy answer, against real backends. */
class UpstreamHealthIT {

  @TempDir Path dir;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /** A backend whose {@code /health} passes while {@code up} is true, and which counts proxied requests. */
  private TestBackend checked(String name, AtomicBoolean up, AtomicInteger proxied) {
    return TestBackend.start(vertx, r -> {
      if (r.path().equals("/health")) {
        r.response().setStatusCode(up.get() ? 200 : 503).end();
      } else {
        proxied.incrementAndGet();
        r.response().end(name);
      }
    });
  }

  @Test
  void activeChecksTakeAFailingTargetOutAndBringItBack() throws Exception {
    AtomicBoolean aUp = new AtomicBoolean(true);
    AtomicInteger aHits = new AtomicInteger();
    try (TestBackend a = checked("a", aUp, aHits);
        TestBackend b = checked("b", new AtomicBoolean(true), new AtomicInteger());
        TestGateway gw = TestGateway.start(dir, TestGateway.pool("""
            healthCheck: { path: /health, interval: 100ms, timeout: 100ms, healthyThreshold: 2, unhealthyThreshold: 2 }
            """, a, b));
        TestClient client = new TestClient(vertx)) {
      assertThat(spread(client, gw, 10)).containsEntry("a", 5).containsEntry("b", 5);

      aUp.set(false);
      await().atMost(Duration.ofSeconds(5))
          .until(() -> client.target(gw, "pool", a.port()).getString("health").equals("unhealthy"));
      JsonObject state = client.target(gw, "pool", a.port());
      assertThat(state.getBoolean("available")).isFalse();
      assertThat(state.getString("lastProbeFailure")).isEqualTo("status 503");
      int before = aHits.get();
      assertThat(spread(client, gw, 10)).containsOnlyKeys("b");
      assertThat(aHits.get()).isEqualTo(before);

      aUp.set(true);
      await().atMost(Duration.ofSeconds(5))
          .until(() -> client.target(gw, "pool", a.port()).getString("health").equals("healthy"));
      assertThat(spread(client, gw, 10)).containsKeys("a", "b");
    }
  }

  @Test
  void whenNoTargetIsHealthyRequestsGetA503AtOnceWithRetryAfter() throws Exception {
    AtomicInteger proxied = new AtomicInteger();
    try (TestBackend a = checked("a", new AtomicBoolean(false), proxied);
        TestBackend b = checked("b", new AtomicBoolean(false), proxied);
        TestGateway gw = TestGateway.start(dir, TestGateway.pool("""
            healthCheck: { path: /health, interval: 100ms, timeout: 100ms, healthyThreshold: 3, unhealthyThreshold: 1 }
            timeouts: { connect: 30s, response: 30s }
            """, a, b));
        TestClient client = new TestClient(vertx)) {
      await().atMost(Duration.ofSeconds(5)).until(() ->
          client.target(gw, "pool", a.port()).getString("health").equals("unhealthy")
              && client.target(gw, "pool", b.port()).getString("health").equals("unhealthy"));
      Reply reply = client.get(gw.port(), "/x");
      assertThat(reply.status()).isEqualTo(503);
      assertThat(reply.headers().get("Content-Type")).isEqualTo("application/problem+json");
      assertThat(reply.key()).isEqualTo("NO_HEALTHY_UPSTREAM");
      // The earliest a target can come back: three passing probes 100 ms apart, rounded up to a second.
      assertThat(reply.headers().get("Retry-After")).isEqualTo("1");
      assertThat(proxied.get()).as("no connection was attempted").isZero();
    }
  }

  @Test
  void consecutiveFailuresEjectATargetForAGrowingTimeAndItComesBack() throws Exception {
    AtomicBoolean broken = new AtomicBoolean(true);
    AtomicInteger aHits = new AtomicInteger();
    try (TestBackend a = TestBackend.start(vertx, r -> {
          aHits.incrementAndGet();
          if (broken.get()) {
            r.connection().close();
          } else {
            r.response().end("a");
          }
        });
        TestBackend b = TestBackend.named(vertx, "b");
        TestGateway gw = TestGateway.start(dir, TestGateway.pool("""
            outlierDetection: { consecutiveFailures: 3, baseEjectionTime: 1s, maxEjectionTime: 10s }
            """, a, b));
        TestClient client = new TestClient(vertx)) {
      // Retries hide the resets from clients: every request is answered by b when a fails.
      for (int i = 0; i < 6; i++) {
        Reply r = client.get(gw.port(), "/x");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("b");
      }
      JsonObject state = client.target(gw, "pool", a.port());
      assertThat(state.getBoolean("ejected")).isTrue();
      assertThat(state.getLong("lastEjectionMs")).isEqualTo(1000L);
      long ejectedAt = System.nanoTime();
      int hits = aHits.get();
      assertThat(spread(client, gw, 10)).containsOnlyKeys("b");
      assertThat(aHits.get()).isEqualTo(hits);

      await().atMost(Duration.ofSeconds(5)).until(() -> !client.target(gw, "pool", a.port()).getBoolean("ejected"));
      assertThat(Duration.ofNanos(System.nanoTime() - ejectedAt)).isGreaterThan(Duration.ofMillis(800));
      // Still broken: three more failures eject it again, for twice as long.
      for (int i = 0; i < 6; i++) {
        assertThat(client.get(gw.port(), "/x").status()).isEqualTo(200);
      }
      state = client.target(gw, "pool", a.port());
      assertThat(state.getInteger("ejections")).isEqualTo(2);
      assertThat(state.getLong("lastEjectionMs")).isEqualTo(2000L);

      broken.set(false);
      await().atMost(Duration.ofSeconds(5)).until(() -> !client.target(gw, "pool", a.port()).getBoolean("ejected"));
      assertThat(spread(client, gw, 10)).containsEntry("a", 5).containsEntry("b", 5);
    }
  }

  @Test
  void aBreakerOpensOnAFailureRateAndClosesAfterSuccessfulTrials() throws Exception {
    AtomicBoolean failing = new AtomicBoolean(true);
    try (TestBackend a = TestBackend.start(vertx, r -> {
          if (failing.get()) {
            r.response().setStatusCode(500).end("a failed");
          } else {
            r.response().end("a");
          }
        });
        TestBackend b = TestBackend.named(vertx, "b");
        TestGateway gw = TestGateway.start(dir, TestGateway.pool("""
            outlierDetection: { consecutiveFailures: 0 }
            circuitBreaker: { failureRatePercent: 50, window: 4, minimumRequests: 4, openFor: 500ms, trialRequests: 2 }
            retries: { attempts: 0 }
            """, a, b));
        TestClient client = new TestClient(vertx)) {
      assertThat(client.target(gw, "pool", a.port()).getString("breaker")).isEqualTo("closed");
      Map<String, Integer> first = spread(client, gw, 8);
      assertThat(first).containsEntry("a failed", 4).containsEntry("b", 4);
      assertThat(client.target(gw, "pool", a.port()).getString("breaker")).isEqualTo("open");
      assertThat(spread(client, gw, 6)).containsOnlyKeys("b");

      failing.set(false);
      await().atMost(Duration.ofSeconds(5))
          .until(() -> client.target(gw, "pool", a.port()).getString("breaker").equals("half_open"));
      await().atMost(Duration.ofSeconds(5)).until(() -> {
        client.get(gw.port(), "/x");
        return client.target(gw, "pool", a.port()).getString("breaker").equals("closed");
      });
      assertThat(spread(client, gw, 10)).containsEntry("a", 5).containsEntry("b", 5);
    }
  }

  @Test
  void aTargetThatGoesDownIsProbedOutAndBackInWhenItReturns() throws Exception {
    TestBackend a = TestBackend.named(vertx, "a");
    int aPort = a.port();
    try (TestBackend b = TestBackend.named(vertx, "b");
        TestGateway gw = TestGateway.start(dir, TestGateway.pool("""
            healthCheck: { path: /, interval: 100ms, timeout: 100ms, healthyThreshold: 1, unhealthyThreshold: 1 }
            retries: { attempts: 0 }
            """, a, b));
        TestClient client = new TestClient(vertx)) {
      assertThat(spread(client, gw, 4)).containsEntry("a", 2).containsEntry("b", 2);
      a.close();
      await().atMost(Duration.ofSeconds(5))
          .until(() -> client.target(gw, "pool", aPort).getString("health").equals("unhealthy"));
      assertThat(client.target(gw, "pool", aPort).getString("lastProbeFailure")).isEqualTo("connection refused by 127.0.0.1:" + aPort);
      assertThat(spread(client, gw, 6)).containsOnlyKeys("b");

      try (TestBackend back = TestBackend.startOn(vertx, aPort, r -> r.response().end("a again"))) {
        await().atMost(Duration.ofSeconds(5))
            .until(() -> client.target(gw, "pool", aPort).getString("health").equals("healthy"));
        assertThat(spread(client, gw, 6)).containsKeys("a again", "b");
      }
    }
  }

  static Map<String, Integer> spread(TestClient client, TestGateway gw, int n) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < n; i++) {
      counts.merge(client.get(gw.port(), "/x").body(), 1, Integer::sum);
    }
    return counts;
  }

}
