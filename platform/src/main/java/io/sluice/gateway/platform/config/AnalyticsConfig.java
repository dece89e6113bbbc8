// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import io.sluice.gateway.api.config.ConfigException;
import java.time.Duration;

/**
 * Usage analytics, answered at {@code GET /admin/analytics} (docs/observability.md, "Analytics"): every exchange
 * counted in memory by route, consumer, upstream and status class, in minute, hour and day buckets. On by
 * default. Read at start only.
 *
 * @param enabled false counts nothing (and {@code /admin/analytics} answers 404)
 * @param maxKeys the most distinct routes, consumers and upstreams (each) this node counts apart; past it,
 *     new values count as {@code other} (default 100, 1..10000)
 * @param maxCells the most (route, consumer, upstream, status class) combinations one bucket holds; past it,
 *     new combinations count under their route with consumer and upstream {@code other} (default 2000,
 *     100..100000)
 * @param minuteBuckets minute buckets kept, the current one included (default 360: 6 h; 60..10080)
 * @param hourBuckets hour buckets kept (default 168: 7 days; 24..8784)
 * @param dayBuckets UTC-day buckets kept (default 30; 1..3660)
 * @param publishInterval how often the live minute is folded into the buckets and, in a cluster, the buckets
 *     that changed are published for the other nodes (default 5s, 100ms..1m)
 */
public record AnalyticsConfig(
    Boolean enabled,
    Integer maxKeys,
    Integer maxCells,
    Integer minuteBuckets,
    Integer hourBuckets,
    Integer dayBuckets,
    Duration publishInterval) {

  public AnalyticsConfig {
    enabled = enabled != null ? enabled : true;
    maxKeys = maxKeys != null ? maxKeys : 100;
    maxCells = maxCells != null ? maxCells : 2000;
    minuteBuckets = minuteBuckets != null ? minuteBuckets : 360;
    hourBuckets = hourBuckets != null ? hourBuckets : 168;
    dayBuckets = dayBuckets != null ? dayBuckets : 30;
    publishInterval = publishInterval != null ? publishInterval : Duration.ofSeconds(5);
    range("maxKeys", maxKeys, 1, 10_000);
    range("maxCells", maxCells, 100, 100_000);
    range("minuteBuckets", minuteBuckets, 60, 10_080);
    range("hourBuckets", hourBuckets, 24, 8_784);
    range("dayBuckets", dayBuckets, 1, 3_660);
    if (publishInterval.compareTo(Duration.ofMillis(100)) < 0 || publishInterval.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new ConfigException("publishInterval", "must be 100ms..1m");
    }
  }

  private static void range(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw new ConfigException(field, "must be " + min + ".." + max + ", was " + value);
    }
  }

  public static AnalyticsConfig defaults() {
    return new AnalyticsConfig(null, null, null, null, null, null, null);
  }
}
