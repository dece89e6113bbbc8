// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.gateway.platform.TestClient.Reply;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /admin/analytics} through a running gateway and a real backend: known traffic (30 exchanges of
 * consumer {@code guest} on route a, 10 on route b of which 5 fail upstream, 1 that matches no route) read back
 * exactly as totals, series and groups, filters included; bad parameters refused by name.
 */
@ExtendWith(VertxExtension.class)
class AnalyticsIT {

  @TempDir Path dir;

  private static final MultiMap TOKEN =
      MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + TestGateway.ADMIN_TOKEN);

  @Test
  void answersTheTrafficJustSentByRouteConsumerStatusAndUpstream(Vertx vertx) throws Exception {
    try (TestBackend backend = TestBackend.start(vertx, req -> req.response()
            .setStatusCode(req.path().endsWith("/fail") ? 500 : 200).end("hello"));
        TestGateway gw = TestGateway.start(dir, """
            consumers: [{ id: guest }]
            routes:
              - { id: a, path: /a/**, upstream: "%s", authentication: { anonymous: guest } }
              - { id: b, path: /b/**, upstream: "%s" }
            """.formatted(backend.url(), backend.url()));
        TestClient client = new TestClient(vertx)) {
      for (int i = 0; i < 30; i++) {
        assertThat(client.get(gw.port(), "/a/" + i).status()).isEqualTo(200);
      }
      for (int i = 0; i < 5; i++) {
        assertThat(client.get(gw.port(), "/b/ok").status()).isEqualTo(200);
        assertThat(client.get(gw.port(), "/b/fail").status()).isEqualTo(500);
      }
      assertThat(client.get(gw.port(), "/nowhere").status()).isEqualTo(404);

      // The listener runs once the last byte is written: the client may read the response a moment before.
      await().atMost(Duration.ofSeconds(10)).until(() ->
          query(client, gw, "").getJsonObject("totals").getLong("requests") == 41);

      JsonObject all = query(client, gw, "?by=route");
      JsonObject totals = all.getJsonObject("totals");
      assertThat(totals.getLong("requests")).isEqualTo(41);
      assertThat(totals.getLong("errors")).isEqualTo(5);
      assertThat(totals.getLong("clientErrors")).isEqualTo(1);
      assertThat(totals.getLong("bytesOut")).isPositive();
      assertOrdered(totals.getJsonObject("latencyMs"));
      assertOrdered(totals.getJsonObject("upstreamLatencyMs"));
      assertThat(all.getString("step")).isEqualTo("minute");
      assertThat(all.getJsonArray("nodes").getList()).containsExactly("local");
      JsonArray series = all.getJsonArray("series");
      assertThat(series).hasSize(60);
      assertThat(Instant.parse(all.getString("to")).toEpochMilli() - Instant.parse(all.getString("from")).toEpochMilli())
          .isEqualTo(Duration.ofHours(1).toMillis());
      long seriesRequests = 0;
      long seriesErrors = 0;
      Instant previous = null;
      for (Object o : series) {
        JsonObject point = (JsonObject) o;
        seriesRequests += point.getLong("requests");
        seriesErrors += point.getLong("errors");
        Instant start = Instant.parse(point.getString("start"));
        if (previous != null) {
          assertThat(Duration.between(previous, start)).isEqualTo(Duration.ofMinutes(1));
        }
        previous = start;
        if (point.getLong("requests") == 0) {
          assertThat(point.getJsonObject("latencyMs").getValue("p50")).isNull();
        }
      }
      assertThat(seriesRequests).isEqualTo(41);
      assertThat(seriesErrors).isEqualTo(5);
      assertThat(series.getJsonObject(0).getString("start")).isEqualTo(all.getString("from"));

      assertThat(groups(all)).containsExactly(Map.entry("a", 30L), Map.entry("b", 10L), Map.entry("-", 1L));
      JsonObject b = all.getJsonArray("groups").getJsonObject(1);
      assertThat(b.getLong("errors")).isEqualTo(5);
      assertThat(b.getLong("clientErrors")).isZero();
      assertOrdered(b.getJsonObject("latencyMs"));

      assertThat(groups(query(client, gw, "?by=consumer"))).containsExactly(Map.entry("guest", 30L), Map.entry("-", 11L));
      assertThat(groups(query(client, gw, "?by=status")))
          .containsExactly(Map.entry("2xx", 35L), Map.entry("5xx", 5L), Map.entry("4xx", 1L));
      String upstream = "127.0.0.1:" + backend.url().replaceAll(".*:(\\d+).*", "$1");
      assertThat(groups(query(client, gw, "?by=upstream"))).containsExactly(Map.entry(upstream, 40L), Map.entry("-", 1L));
      assertThat(groups(query(client, gw, "?by=status&route=b"))).containsExactly(Map.entry("2xx", 5L), Map.entry("5xx", 5L));
      assertThat(groups(query(client, gw, "?by=route&limit=1"))).containsExactly(Map.entry("a", 30L));
      JsonObject guest = query(client, gw, "?consumer=guest").getJsonObject("totals");
      assertThat(guest.getLong("requests")).isEqualTo(30);
      assertThat(guest.getLong("errors")).isZero();
      assertThat(query(client, gw, "?route=b&consumer=guest").getJsonObject("totals").getLong("requests")).isZero();
      assertThat(query(client, gw, "?route=b&consumer=guest").getJsonObject("totals").getJsonObject("latencyMs")
          .getValue("p99")).isNull();

      // The same exchanges in the hour and day buckets, over explicit ranges (epoch millis and ISO-8601).
      long now = System.currentTimeMillis();
      JsonObject hours = query(client, gw, "?step=hour&from=" + (now - Duration.ofHours(3).toMillis()) + "&to=" + now);
      assertThat(hours.getString("step")).isEqualTo("hour");
      assertThat(hours.getJsonObject("totals").getLong("requests")).isEqualTo(41);
      assertThat(hours.getJsonArray("series").size()).isBetween(3, 4);
      JsonObject days = query(client, gw, "?from=" + Instant.ofEpochMilli(now - Duration.ofDays(10).toMillis())
          + "&by=route");
      assertThat(days.getString("step")).isEqualTo("day");
      assertThat(groups(days)).containsExactly(Map.entry("a", 30L), Map.entry("b", 10L), Map.entry("-", 1L));
    }
  }

  @Test
  void refusesBadParametersByNameAndAnswersOnlyWithTheToken(Vertx vertx) throws Exception {
    try (TestGateway gw = TestGateway.start(dir, "");
        TestClient client = new TestClient(vertx)) {
      assertThat(client.get(gw.adminPort(), "/admin/analytics").status()).isEqualTo(401);
      Map<String, String> bad = new LinkedHashMap<>();
      bad.put("?from=yesterday", "from: not an ISO-8601 instant");
      bad.put("?to=2026-13-01T00:00:00Z", "to: not an ISO-8601 instant");
      bad.put("?from=2026-12-02T02:00:00Z&to=2026-12-02T01:00:00Z", "from: must be before to");
      bad.put("?step=week", "step: must be minute, hour or day");
      bad.put("?step=minute&from=0&to=" + Duration.ofDays(30).toMillis(), "step: a step of a minute");
      bad.put("?by=method", "by: must be route, consumer, status or upstream");
      bad.put("?limit=0", "limit: must be 1..100");
      bad.put("?limit=ten", "limit: not a whole number");
      bad.put("?route=", "route: must not be blank");
      bad.put("?by=route&by=status", "by: given more than once");
      for (Map.Entry<String, String> e : bad.entrySet()) {
        Reply reply = client.get(gw.adminPort(), "/admin/analytics" + e.getKey(), TOKEN);
        assertThat(reply.status()).as(e.getKey()).isEqualTo(400);
        assertThat(reply.key()).as(e.getKey()).isEqualTo("ANALYTICS_BAD_QUERY");
        assertThat(reply.json().getString("detail")).as(e.getKey()).startsWith(e.getValue());
      }
      JsonObject empty = query(client, gw, "?from=2026-12-02T00:00:30Z&to=2026-12-02T01:00:00Z&by=consumer");
      assertThat(empty.getString("from")).isEqualTo("2026-12-02T00:00:00Z");
      assertThat(empty.getJsonArray("series")).hasSize(60);
      assertThat(empty.getJsonArray("groups")).isEmpty();
      assertThat(empty.getJsonObject("totals").getLong("requests")).isZero();
    }
  }

  @Test
  void isOffWhenDisabled(Vertx vertx) throws Exception {
    try (TestGateway gw = TestGateway.start(dir, "analytics: { enabled: false }\n");
        TestClient client = new TestClient(vertx)) {
      Reply reply = client.get(gw.adminPort(), "/admin/analytics", TOKEN);
      assertThat(reply.status()).isEqualTo(404);
      assertThat(reply.key()).isEqualTo("ANALYTICS_DISABLED");
    }
  }

  private static JsonObject query(TestClient client, TestGateway gw, String params) {
    Reply reply = client.get(gw.adminPort(), "/admin/analytics" + params, TOKEN);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    assertThat(reply.headers().get("Content-Type")).isEqualTo("application/json");
    return reply.json();
  }

  /** The groups' keys and requests, in the answer's order. */
  private static Map<String, Long> groups(JsonObject answer) {
    Map<String, Long> groups = new LinkedHashMap<>();
    for (Object o : answer.getJsonArray("groups")) {
      JsonObject g = (JsonObject) o;
      groups.put(g.getString("key"), g.getLong("requests"));
    }
    return groups;
  }

  private static void assertOrdered(JsonObject percentiles) {
    double p50 = percentiles.getDouble("p50");
    double p95 = percentiles.getDouble("p95");
    double p99 = percentiles.getDouble("p99");
    assertThat(p50).isPositive();
    assertThat(p50).isLessThanOrEqualTo(p95);
    assertThat(p95).isLessThanOrEqualTo(p99);
  }
}
