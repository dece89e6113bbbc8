// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.analytics;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The answer to one {@link AnalyticsQuery}, built from the cells of every node's buckets in its range
 * (docs/observability.md, "Analytics", has the document): totals, the series oldest first with empty buckets
 * included, and the top groups by requests (ties by key).
 */
final class UsageReport implements UsageStore.Visitor {

  private final AnalyticsQuery query;
  private final UsageSum totals = new UsageSum();
  private final UsageSum[] series;
  private final Map<String, UsageSum> groups = new HashMap<>();

  UsageReport(AnalyticsQuery query) {
    this.query = query;
    this.series = new UsageSum[query.buckets()];
  }

  @Override
  public void cell(long start, CellKey key, Usage usage) {
    if (start < query.from() || start >= query.to()) {
      return;
    }
    if (query.route() != null && !query.route().equals(key.route())) {
      return;
    }
    if (query.consumer() != null && !query.consumer().equals(key.consumer())) {
      return;
    }
    totals.add(usage);
    int i = (int) ((start - query.from()) / query.step().millis());
    if (series[i] == null) {
      series[i] = new UsageSum();
    }
    series[i].add(usage);
    GroupBy by = query.by();
    if (by != null) {
      groups.computeIfAbsent(by.keyOf(key), k -> new UsageSum()).add(usage);
    }
  }

  JsonObject build(Collection<String> nodes) {
    JsonObject total = counts(totals).put("bytesIn", totals.bytesIn).put("bytesOut", totals.bytesOut)
        .put("latencyMs", totals.latencyMs()).put("upstreamLatencyMs", totals.upstreamLatencyMs());
    JsonArray points = new JsonArray();
    for (int i = 0; i < series.length; i++) {
      UsageSum s = series[i] != null ? series[i] : new UsageSum();
      points.add(new JsonObject().put("start", Instant.ofEpochMilli(query.from() + i * query.step().millis()).toString())
          .mergeIn(counts(s)).put("bytesIn", s.bytesIn).put("bytesOut", s.bytesOut).put("latencyMs", s.latencyMs()));
    }
    JsonObject answer = new JsonObject()
        .put("from", Instant.ofEpochMilli(query.from()).toString())
        .put("to", Instant.ofEpochMilli(query.to()).toString())
        .put("step", query.step().label())
        .put("nodes", new JsonArray(nodes.stream().sorted().toList()))
        .put("totals", total)
        .put("series", points);
    if (query.by() != null) {
      List<Map.Entry<String, UsageSum>> top = new ArrayList<>(groups.entrySet());
      top.sort(Comparator.<Map.Entry<String, UsageSum>>comparingLong(e -> -e.getValue().requests)
          .thenComparing(Map.Entry::getKey));
      JsonArray list = new JsonArray();
      for (Map.Entry<String, UsageSum> e : top.subList(0, Math.min(query.limit(), top.size()))) {
        UsageSum g = e.getValue();
        list.add(new JsonObject().put("key", e.getKey()).mergeIn(counts(g)).put("bytesIn", g.bytesIn)
            .put("bytesOut", g.bytesOut).put("latencyMs", g.latencyMs()).put("upstreamLatencyMs", g.upstreamLatencyMs()));
      }
      answer.put("by", query.by().name().toLowerCase(java.util.Locale.ROOT)).put("groups", list);
    }
    return answer;
  }

  private static JsonObject counts(UsageSum s) {
    Objects.requireNonNull(s);
    return new JsonObject().put("requests", s.requests).put("errors", s.errors).put("clientErrors", s.clientErrors);
  }
}
