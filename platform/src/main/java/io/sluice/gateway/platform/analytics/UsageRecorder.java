// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.analytics;

import io.sluice.gateway.platform.exchange.ExchangeListener;
import io.sluice.gateway.platform.exchange.FinishedExchange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Counts every finished exchange into the live minute of the thread that ends it (a {@link Stripe} per event
 * loop, so loops never wait for each other). The exchange's minute is its end time's. Per exchange: three
 * map reads to number its route, consumer and upstream ({@link KeyTable}), one probe of the stripe's
 * primitive-keyed table, and field and array increments; nothing is allocated but when a cell is first seen in
 * a minute (a {@link LiveCell}: two {@code long[256]}) or a new minute starts on that loop.
 */
final class UsageRecorder implements ExchangeListener {

  private final KeyTable routes;
  private final KeyTable consumers;
  private final KeyTable upstreams;
  private final int maxCells;
  private final List<Stripe> stripes = new CopyOnWriteArrayList<>();
  private final ThreadLocal<Stripe> stripe = ThreadLocal.withInitial(this::newStripe);

  UsageRecorder(int maxKeys, int maxCells) {
    this.routes = new KeyTable(maxKeys);
    this.consumers = new KeyTable(maxKeys);
    this.upstreams = new KeyTable(maxKeys);
    this.maxCells = maxCells;
  }

  private Stripe newStripe() {
    Stripe s = new Stripe(maxCells);
    stripes.add(s);
    return s;
  }

  @Override
  public void finished(FinishedExchange e) {
    String route = e.route() != null ? e.route() : CellKey.NONE;
    String consumer = e.consumer() != null ? e.consumer() : CellKey.NONE;
    String upstream = e.upstream() != null ? e.upstream() : CellKey.NONE;
    long minute = Math.floorDiv(e.endEpochMillis(), Resolution.MINUTE.millis()) * Resolution.MINUTE.millis();
    stripe.get().record(minute, routes.id(route), route, consumers.id(consumer), consumer, upstreams.id(upstream),
        upstream, CellKey.statusClass(e.status(), e.aborted()), e.latencyNanos(), e.upstreamLatencyNanos(),
        e.bytesIn(), e.bytesOut());
  }

  /** Everything counted since the last drain, from every stripe. Call it from one thread at a time. */
  List<Stripe.Drained> drain() {
    List<Stripe.Drained> all = new ArrayList<>();
    for (Stripe s : stripes) {
      all.addAll(s.drain());
    }
    return all;
  }
}
