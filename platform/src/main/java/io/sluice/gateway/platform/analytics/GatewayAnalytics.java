// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.analytics;

import io.sluice.gateway.platform.cluster.NodeBoard;
import io.sluice.gateway.platform.config.AnalyticsConfig;
import io.sluice.gateway.platform.exchange.ExchangeListener;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's usage analytics: the {@linkplain #exchanges() listener} that counts every exchange, the store
 * of this node's buckets, and, in a cluster, the publishing of its changed buckets on a {@link NodeBoard} and
 * the merging of every member's into a {@linkplain #query query}'s answer. Every {@code analytics.publishInterval}
 * a worker drains the live minute into the store, drops buckets past their retention and publishes.
 */
public final class GatewayAnalytics implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GatewayAnalytics.class);

  /** This node's name in {@code nodes} when it is not in a cluster. */
  static final String LOCAL = "local";

  private final UsageRecorder recorder;
  private final UsageStore store;
  private final Clock clock;
  private final @Nullable NodeBoard board;
  private final Duration interval;
  private final Object collecting = new Object();
  private final AtomicBoolean badBucketLogged = new AtomicBoolean();
  private @Nullable Vertx vertx;
  private long timer = -1;

  public GatewayAnalytics(AnalyticsConfig config, Clock clock, @Nullable NodeBoard board) {
    this.recorder = new UsageRecorder(config.maxKeys(), config.maxCells());
    this.store = new UsageStore(config.minuteBuckets(), config.hourBuckets(), config.dayBuckets(), config.maxCells(),
        clock);
    this.clock = clock;
    this.board = board;
    this.interval = config.publishInterval();
  }

  /** Counts every finished exchange; hand it to the proxy. */
  public ExchangeListener exchanges() {
    return recorder;
  }

  /** The clock queries default their range by. */
  public Clock clock() {
    return clock;
  }

  /** Starts draining (and publishing) every {@code publishInterval}, on a worker. */
  public void start(Vertx vertx) {
    this.vertx = vertx;
    timer = vertx.setPeriodic(interval.toMillis(), id -> vertx.executeBlocking(() -> {
      collect();
      return null;
    }, false).onFailure(e -> log.error("analytics: draining the live minute failed", e)));
  }

  /** Drains the live minute into the store, drops what is past its retention, publishes what changed. */
  void collect() {
    synchronized (collecting) {
      for (Stripe.Drained d : recorder.drain()) {
        store.add(d.minute(), d.key(), d.usage());
      }
      store.prune();
      NodeBoard b = board;
      if (b != null) {
        String self = b.selfName();
        store.publishChanged((resolution, start, cells) -> b.publish(boardKey(resolution, start),
            BucketCodec.encode(self, cells), retention(resolution)));
      }
    }
  }

  private Duration retention(Resolution r) {
    return Duration.ofMillis((store.kept(r) + 1L) * r.millis());
  }

  private static String boardKey(Resolution r, long start) {
    return r.label() + "/" + start;
  }

  /**
   * The answer to {@code query}: this node's buckets (drained first, so it includes the exchanges that just
   * ended) merged with every other member's last published ones. Blocking: call it on a worker.
   */
  public JsonObject query(AnalyticsQuery query) {
    collect();
    UsageReport report = new UsageReport(query);
    store.read(query.step(), query.from(), query.to(), report);
    NodeBoard b = board;
    if (b == null) {
      return report.build(List.of(LOCAL));
    }
    List<String> keys = new ArrayList<>();
    for (long start = query.from(); start < query.to(); start += query.step().millis()) {
      keys.add(boardKey(query.step(), start));
    }
    for (Map.Entry<String, Collection<byte[]>> e : b.readOthers(keys).entrySet()) {
      long start = Long.parseLong(e.getKey().substring(e.getKey().indexOf('/') + 1));
      for (byte[] wire : e.getValue()) {
        BucketCodec.Decoded bucket;
        try {
          bucket = BucketCodec.decode(wire);
        } catch (IllegalArgumentException bad) {
          if (badBucketLogged.compareAndSet(false, true)) {
            log.warn("analytics: skipping a bucket another node published that this one cannot read: {}",
                bad.getMessage());
          }
          continue;
        }
        bucket.cells().forEach((key, usage) -> report.cell(start, key, usage));
      }
    }
    return report.build(b.memberNames());
  }

  @Override
  public void close() {
    Vertx v = vertx;
    if (v != null && timer >= 0) {
      v.cancelTimer(timer);
    }
  }
}
