// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.platform.config.AnalyticsConfig;
import io.sluice.gateway.platform.exchange.FinishedExchange;
import io.sluice.gateway.testkit.MutableClock;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.assertj.core.data.Percentage;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Aggregation, retention, bounds and the merge of nodes, on an injected clock and exchanges made by hand. */
class GatewayAnalyticsTest {

  private static final Instant NOW = Instant.parse("2026-12-02T01:30:00Z");
  private final MutableClock clock = new MutableClock(NOW);

  private static AnalyticsConfig config(int maxKeys, int maxCells) {
    return new AnalyticsConfig(true, maxKeys, maxCells, null, null, null, null);
  }

  private static FinishedExchange exchange(String at, @Nullable String route, @Nullable String consumer, int status,
      long latencyMillis) {
    boolean aborted = status == 0;
    return new FinishedExchange(Instant.parse(at).toEpochMilli(), "id", route, "GET", "/x", status, null, 10, 100,
        route == null ? null : "10.0.0.1:80", 0, latencyMillis * 1_000_000, aborted ? -1 : latencyMillis * 500_000,
        null, null, aborted, consumer, null, null, null);
  }

  private JsonObject query(GatewayAnalytics analytics, String... pairs) {
    MultiMap params = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < pairs.length; i += 2) {
      params.add(pairs[i], pairs[i + 1]);
    }
    return analytics.query(AnalyticsQuery.parse(params, clock.instant()));
  }

  private static Map<String, Long> groups(JsonObject answer) {
    Map<String, Long> groups = new LinkedHashMap<>();
    for (Object o : answer.getJsonArray("groups")) {
      groups.put(((JsonObject) o).getString("key"), ((JsonObject) o).getLong("requests"));
    }
    return groups;
  }

  @Test
  void countsEachExchangeInTheMinuteItEndedWithGroupsAndFilters() {
    GatewayAnalytics analytics = new GatewayAnalytics(AnalyticsConfig.defaults(), clock, null);
    for (int i = 0; i < 3; i++) {
      analytics.exchanges().finished(exchange("2026-12-02T01:10:05Z", "a", "c1", 200, 1));
    }
    analytics.exchanges().finished(exchange("2026-12-02T01:20:10Z", "b", null, 503, 10));
    analytics.exchanges().finished(exchange("2026-12-02T01:20:10Z", "b", null, 404, 10));
    analytics.exchanges().finished(exchange("2026-12-02T01:20:30Z", "b", null, 0, 10));
    analytics.exchanges().finished(exchange("2026-12-02T01:20:59.999Z", null, null, 404, 1));

    JsonObject all = query(analytics, "by", "status");
    assertThat(all.getString("from")).isEqualTo("2026-12-02T00:31:00Z");
    assertThat(all.getString("to")).isEqualTo("2026-12-02T01:31:00Z");
    assertThat(all.getString("step")).isEqualTo("minute");
    assertThat(all.getJsonArray("nodes").getList()).containsExactly("local");
    JsonObject totals = all.getJsonObject("totals");
    assertThat(totals.getLong("requests")).isEqualTo(7);
    assertThat(totals.getLong("errors")).isEqualTo(2);
    assertThat(totals.getLong("clientErrors")).isEqualTo(2);
    assertThat(totals.getLong("bytesIn")).isEqualTo(70);
    assertThat(totals.getLong("bytesOut")).isEqualTo(700);
    JsonArray series = all.getJsonArray("series");
    assertThat(series).hasSize(60);
    assertThat(series.getJsonObject(39).getString("start")).isEqualTo("2026-12-02T01:10:00Z");
    assertThat(series.getJsonObject(39).getLong("requests")).isEqualTo(3);
    assertThat(series.getJsonObject(39).getJsonObject("latencyMs").getDouble("p50"))
        .isCloseTo(1.0, Percentage.withPercentage(6.25));
    assertThat(series.getJsonObject(49).getLong("requests")).isEqualTo(4);
    assertThat(series.getJsonObject(49).getLong("errors")).isEqualTo(2);
    assertThat(series.getJsonObject(48).getLong("requests")).isZero();
    assertThat(series.getJsonObject(48).getJsonObject("latencyMs").getValue("p50")).isNull();
    assertThat(groups(all)).containsExactly(Map.entry("2xx", 3L), Map.entry("4xx", 2L), Map.entry("5xx", 1L),
        Map.entry("aborted", 1L));

    assertThat(groups(query(analytics, "by", "route"))).as("ties by key").containsExactly(Map.entry("a", 3L),
        Map.entry("b", 3L), Map.entry("-", 1L));
    assertThat(groups(query(analytics, "by", "consumer", "route", "b"))).containsExactly(Map.entry("-", 3L));
    assertThat(groups(query(analytics, "by", "upstream"))).containsExactly(Map.entry("10.0.0.1:80", 6L),
        Map.entry("-", 1L));
    JsonObject c1 = query(analytics, "consumer", "c1").getJsonObject("totals");
    assertThat(c1.getLong("requests")).isEqualTo(3);
    assertThat(c1.getJsonObject("upstreamLatencyMs").getDouble("p99")).isCloseTo(0.5, Percentage.withPercentage(6.25));

    // The same exchanges in the hour and the day that hold them.
    JsonObject hours = query(analytics, "step", "hour", "from", "2026-12-02T00:00:00Z", "to", "2026-12-02T02:00:00Z");
    assertThat(hours.getJsonArray("series")).hasSize(2);
    assertThat(hours.getJsonArray("series").getJsonObject(1).getLong("requests")).isEqualTo(7);
    JsonObject days = query(analytics, "step", "day", "from", "2026-12-01T12:00:00Z");
    assertThat(days.getString("from")).isEqualTo("2026-12-01T00:00:00Z");
    assertThat(days.getJsonArray("series")).hasSize(2);
    assertThat(days.getJsonObject("totals").getLong("requests")).isEqualTo(7);
  }

  @Test
  void keepsEachResolutionForItsRetention() {
    GatewayAnalytics analytics = new GatewayAnalytics(new AnalyticsConfig(true, null, null, 60, 24, 1, null), clock,
        null);
    analytics.exchanges().finished(exchange("2026-12-02T01:29:00Z", "a", null, 200, 1));
    analytics.collect();
    String[] lastHour = {"step", "minute", "from", "2026-12-02T01:00:00Z", "to", "2026-12-02T02:00:00Z"};
    String[] hour = {"step", "hour", "from", "2026-12-02T01:00:00Z", "to", "2026-12-02T02:00:00Z"};
    assertThat(query(analytics, lastHour).getJsonObject("totals").getLong("requests")).isEqualTo(1);

    clock.advance(Duration.ofMinutes(61)); // 02:31: the 60 minutes kept start at 01:32
    assertThat(query(analytics, lastHour).getJsonObject("totals").getLong("requests")).isZero();
    assertThat(query(analytics, hour).getJsonObject("totals").getLong("requests")).isEqualTo(1);

    clock.advance(Duration.ofHours(23)); // 01:31 the next day: 24 hours kept start at 02:00 the day before
    assertThat(query(analytics, hour).getJsonObject("totals").getLong("requests")).isZero();
    assertThat(query(analytics, "step", "day", "from", "2026-12-02T00:00:00Z", "to", "2026-12-03T00:00:00Z")
        .getJsonObject("totals").getLong("requests")).as("the day is kept 1 day: gone on the next").isZero();
  }

  @Test
  void boundsEveryDimensionWithAnOtherKey() {
    GatewayAnalytics analytics = new GatewayAnalytics(config(2, 2000), clock, null);
    for (String c : List.of("c1", "c2", "c3", "c4", "c1")) {
      analytics.exchanges().finished(exchange("2026-12-02T01:10:00Z", "a", c, 200, 1));
    }
    assertThat(groups(query(analytics, "by", "consumer"))).containsExactly(Map.entry("c1", 2L),
        Map.entry("other", 2L), Map.entry("c2", 1L));
  }

  @Test
  void foldsCombinationsPastMaxCellsUnderTheirRoute() {
    GatewayAnalytics analytics = new GatewayAnalytics(config(1000, 100), clock, null);
    for (int i = 0; i < 150; i++) {
      analytics.exchanges().finished(exchange("2026-12-02T01:10:00Z", "r", "c" + i, 200, 1));
    }
    JsonObject answer = query(analytics, "by", "consumer", "limit", "100");
    assertThat(answer.getJsonObject("totals").getLong("requests")).isEqualTo(150);
    Map<String, Long> groups = groups(answer);
    assertThat(groups.entrySet().iterator().next().getKey()).isEqualTo("other");
    assertThat(groups.get("other")).isBetween(50L, 51L);
    assertThat(groups.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(150);
    assertThat(groups(query(analytics, "by", "route"))).containsExactly(Map.entry("r", 150L));
  }

  @Test
  void mergesTheNodesHistogramsNotTheirPercentiles() {
    List<MemoryBoard> boards = MemoryBoard.of("node-a", "node-b");
    GatewayAnalytics a = new GatewayAnalytics(AnalyticsConfig.defaults(), clock, boards.get(0));
    GatewayAnalytics b = new GatewayAnalytics(AnalyticsConfig.defaults(), clock, boards.get(1));
    for (int i = 0; i < 90; i++) {
      a.exchanges().finished(exchange("2026-12-02T01:10:00Z", "r", "c1", 200, 1));
    }
    for (int i = 0; i < 10; i++) {
      b.exchanges().finished(exchange("2026-12-02T01:10:00Z", "r", "c2", 500, 100));
    }
    assertThat(query(a).getJsonObject("totals").getLong("requests")).as("b has not published yet").isEqualTo(90);
    b.collect();
    for (GatewayAnalytics node : List.of(a, b)) {
      JsonObject merged = query(node, "by", "consumer");
      assertThat(merged.getJsonArray("nodes").getList()).containsExactly("node-a", "node-b");
      JsonObject totals = merged.getJsonObject("totals");
      assertThat(totals.getLong("requests")).isEqualTo(100);
      assertThat(totals.getLong("errors")).isEqualTo(10);
      // Averaging the nodes' p50s would say ~50 ms; the merged histogram says 1 ms.
      assertThat(totals.getJsonObject("latencyMs").getDouble("p50")).isCloseTo(1.0, Percentage.withPercentage(6.25));
      assertThat(totals.getJsonObject("latencyMs").getDouble("p95")).isCloseTo(100.0, Percentage.withPercentage(6.25));
      assertThat(groups(merged)).containsExactly(Map.entry("c1", 90L), Map.entry("c2", 10L));
      assertThat(merged.getJsonArray("series").getJsonObject(39).getLong("requests")).isEqualTo(100);
    }
    // The hour and day buckets were published too.
    assertThat(query(a, "step", "day", "from", "2026-12-02T00:00:00Z", "to", "2026-12-03T00:00:00Z").getJsonObject("totals").getLong("requests"))
        .isEqualTo(100);
  }

  @Test
  void publishedBucketsReadBackAsTheyWereAndForeignOnesAreRefused() {
    Map<CellKey, Usage> cells = new java.util.HashMap<>();
    long[] dense = new long[LogBuckets.COUNT];
    dense[7] = 3;
    dense[120] = 1;
    cells.put(new CellKey("r", "-", "h:1", 2), new Usage(4, 0, 0, 10, 20, CompactHistogram.of(dense),
        CompactHistogram.EMPTY));
    BucketCodec.Decoded back = BucketCodec.decode(BucketCodec.encode("n1", cells));
    assertThat(back.node()).isEqualTo("n1");
    Usage u = back.cells().get(new CellKey("r", "-", "h:1", 2));
    assertThat(u.requests).isEqualTo(4);
    assertThat(u.bytesOut).isEqualTo(20);
    assertThat(u.latency.total()).isEqualTo(4);
    assertThat(u.latency.index(1)).isEqualTo(120);
    assertThatThrownBy(() -> BucketCodec.decode(new byte[] {9, 0})).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version 9");
    byte[] truncated = java.util.Arrays.copyOf(BucketCodec.encode("n1", cells), 20);
    assertThatThrownBy(() -> BucketCodec.decode(truncated)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void countsEveryExchangeOfConcurrentLoopsWhileDraining() throws Exception {
    GatewayAnalytics analytics = new GatewayAnalytics(AnalyticsConfig.defaults(), clock, null);
    int threads = 4;
    int each = 20_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> loops = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String route = "r" + t;
      Thread loop = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        for (int i = 0; i < each; i++) {
          // two minutes, so that loops also close minutes while the drain runs
          analytics.exchanges().finished(exchange(i < each / 2 ? "2026-12-02T01:10:00Z" : "2026-12-02T01:11:00Z",
              route, "c" + (i % 7), 200 + (i % 4) * 100, i % 50));
        }
      });
      loops.add(loop);
      loop.start();
    }
    start.countDown();
    while (loops.stream().anyMatch(Thread::isAlive)) {
      analytics.collect();
    }
    for (Thread loop : loops) {
      loop.join();
    }
    JsonObject answer = query(analytics, "by", "route");
    assertThat(answer.getJsonObject("totals").getLong("requests")).isEqualTo((long) threads * each);
    assertThat(answer.getJsonObject("totals").getLong("errors")).isEqualTo((long) threads * each / 4);
    assertThat(answer.getJsonObject("totals").getLong("clientErrors")).isEqualTo((long) threads * each / 4);
    assertThat(groups(answer)).containsOnlyKeys("r0", "r1", "r2", "r3").allSatisfy((k, v) -> assertThat(v)
        .isEqualTo((long) each));
    assertThat(answer.getJsonArray("series").getJsonObject(39).getLong("requests")).isEqualTo((long) threads * each / 2);
  }
}
