// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.analytics;

import java.util.ArrayList;
import java.util.List;

/**
 * One thread's share of the live minute: the event loop that owns it records into it, a worker drains it every
 * few seconds. Its lock is never contended but during a drain, which holds it for the time it takes to
 * compact the cells counted since the last one (microseconds).
 */
final class Stripe {

  /** A cell drained from a stripe: the minute it counted, what, and how much. */
  record Drained(long minute, CellKey key, Usage usage) {}

  private record Closed(long minute, CellTable cells) {}

  private final int maxCells;
  private long minute = Long.MIN_VALUE;
  private CellTable cells = new CellTable();
  private final List<Closed> closed = new ArrayList<>();

  Stripe(int maxCells) {
    this.maxCells = maxCells;
  }

  /** The cell key of numbered values (16 bits each: {@code analytics.maxKeys} is at most 10000). */
  static long pack(int route, int consumer, int upstream, int statusClass) {
    return ((long) route << 35) | ((long) consumer << 19) | ((long) upstream << 3) | statusClass;
  }

  synchronized void record(long minuteStart, int routeId, String route, int consumerId, String consumer,
      int upstreamId, String upstream, int statusClass, long latencyNanos, long upstreamNanos, long in, long out) {
    if (minuteStart > minute) {
      if (cells.size() > 0) {
        closed.add(new Closed(minute, cells));
        cells = new CellTable();
      }
      minute = minuteStart;
    }
    long key = pack(routeId, consumerId, upstreamId, statusClass);
    LiveCell cell = cells.get(key);
    if (cell == null) {
      CellKey cellKey = new CellKey(KeyTable.name(routeId, route), KeyTable.name(consumerId, consumer),
          KeyTable.name(upstreamId, upstream), statusClass);
      if (cells.size() >= maxCells) {
        key = pack(routeId, KeyTable.OTHER_ID, KeyTable.OTHER_ID, statusClass);
        cellKey = cellKey.folded();
        cell = cells.get(key);
      }
      if (cell == null) {
        cell = new LiveCell(cellKey);
        cells.put(key, cell);
      }
    }
    cell.record(latencyNanos, upstreamNanos, in, out);
  }

  /** What was counted since the last drain, compacted; the live cells start again from zero. */
  List<Drained> drain() {
    List<Closed> finished;
    List<Drained> out = new ArrayList<>();
    synchronized (this) {
      finished = closed.isEmpty() ? List.of() : List.copyOf(closed);
      closed.clear();
      cells.removeIf(c -> c.requests == 0); // idle for a whole drain period: made again if it comes back
      for (LiveCell c : cells.all()) {
        out.add(new Drained(minute, c.key, c.drain()));
      }
    }
    // Finished minutes are no longer written: compacted outside the lock.
    for (Closed c : finished) {
      for (LiveCell cell : c.cells().all()) {
        if (cell.requests == 0) {
          continue;
        }
        out.add(new Drained(c.minute(), cell.key, cell.snapshot()));
      }
    }
    return out;
  }
}
