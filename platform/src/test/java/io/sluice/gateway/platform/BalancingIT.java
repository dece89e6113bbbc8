// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.platform.TestClient.Reply;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each balancer through a running gateway, against real backends. */
class BalancingIT {

  @TempDir Path dir;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void roundRobinSendsEachTargetItsWeightsShare() throws Exception {
    try (TestBackend a = TestBackend.named(vertx, "a");
        TestBackend b = TestBackend.named(vertx, "b");
        TestGateway gw = TestGateway.start(dir, """
            upstreams:
              pool:
                targets: ["%s", { url: "%s", weight: 3 }]
            routes:
              - { id: r, path: "/**", upstream: pool }
            """.formatted(a.url(), b.url()));
        TestClient client = new TestClient(vertx)) {
      Map<String, Integer> counts = new HashMap<>();
      for (int i = 0; i < 400; i++) {
        counts.merge(client.get(gw.port(), "/x").body(), 1, Integer::sum);
      }
      assertThat(counts).containsEntry("a", 100).containsEntry("b", 300);
    }
  }

  @Test
  void leastInFlightSendsMostRequestsAwayFromASlowTarget() throws Exception {
    try (TestBackend slow = TestBackend.start(vertx, r -> vertx.setTimer(150, t -> r.response().end("slow")));
        TestBackend fast = TestBackend.named(vertx, "fast");
        TestGateway gw = TestGateway.start(dir, TestGateway.pool("balancer: least-in-flight", slow, fast));
        TestClient client = new TestClient(vertx)) {
      Map<String, Integer> counts = concurrently(client, gw, 8, 25);
      // Round-robin would send half to the slow target; here it holds about one request at a time.
      assertThat(counts.getOrDefault("slow", 0)).isLessThan(60);
      assertThat(counts.get("fast")).isGreaterThan(140);
    }
  }

  @Test
  void leastLatencySteersAwayFromASlowTarget() throws Exception {
    try (TestBackend slow = TestBackend.start(vertx, r -> vertx.setTimer(40, t -> r.response().end("slow")));
        TestBackend fast = TestBackend.named(vertx, "fast");
        TestBackend fast2 = TestBackend.named(vertx, "fast2");
        TestGateway gw = TestGateway.start(dir, TestGateway.pool("balancer: least-latency", slow, fast, fast2));
        TestClient client = new TestClient(vertx)) {
      Map<String, Integer> counts = new HashMap<>();
      for (int i = 0; i < 150; i++) {
        counts.merge(client.get(gw.port(), "/x").body(), 1, Integer::sum);
      }
      // After its first slow answer the slow target only wins a pair when it is both choices, which P2C never
      // draws; only the decay of its latency lets it be tried again now and then.
      assertThat(counts.getOrDefault("slow", 0)).isLessThan(15);
      assertThat(counts.get("fast") + counts.get("fast2")).isGreaterThan(135);
    }
  }

  @Test
  void consistentHashSendsTheSameKeyToTheSameTarget() throws Exception {
    try (TestBackend a = TestBackend.named(vertx, "a");
        TestBackend b = TestBackend.named(vertx, "b");
        TestBackend c = TestBackend.named(vertx, "c");
        TestGateway gw = TestGateway.start(dir, TestGateway.pool("""
            balancer: consistent-hash
            hashOn: header:X-User
            """, a, b, c));
        TestClient client = new TestClient(vertx)) {
      Map<String, String> owner = new HashMap<>();
      Map<String, Integer> users = new HashMap<>();
      for (int round = 0; round < 4; round++) {
        for (int u = 0; u < 60; u++) {
          String user = "user-" + u;
          String got = client.get(gw.port(), "/x", MultiMap.caseInsensitiveMultiMap().add("X-User", user)).body();
          String was = owner.putIfAbsent(user, got);
          assertThat(got).as(user).isEqualTo(was == null ? got : was);
          if (was == null) {
            users.merge(got, 1, Integer::sum);
          }
        }
      }
      assertThat(users).containsOnlyKeys("a", "b", "c");
      assertThat(users.values()).allSatisfy(n -> assertThat(n).isGreaterThan(8));
    }
  }

  /** {@code clients} concurrent loops of {@code each} requests; counts answers by body. */
  static Map<String, Integer> concurrently(TestClient client, TestGateway gw, int clients, int each) {
    List<Future<List<String>>> loops = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      loops.add(loop(client, gw, each, new ArrayList<>()));
    }
    Map<String, Integer> counts = new HashMap<>();
    for (Future<List<String>> f : loops) {
      for (String body : f.await()) {
        counts.merge(body, 1, Integer::sum);
      }
    }
    return counts;
  }

  private static Future<List<String>> loop(TestClient client, TestGateway gw, int left, List<String> seen) {
    if (left == 0) {
      return Future.succeededFuture(seen);
    }
    return client.sendAsync(HttpMethod.GET, gw.port(), "/x", MultiMap.caseInsensitiveMultiMap(), null)
        .compose((Reply r) -> {
          seen.add(r.body());
          return loop(client, gw, left - 1, seen);
        });
  }
}
