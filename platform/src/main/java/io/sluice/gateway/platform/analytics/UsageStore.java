// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.analytics;

import java.time.Clock;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * This node's usage in minute, hour and day buckets, each a map of {@link CellKey} to {@link Usage}. A drained
 * cell is added to its minute, its hour and its day at once, so the coarser buckets need no roll-up. Buckets
 * older than their resolution's retention are dropped; a bucket holds at most {@code maxCells} cells (then new
 * combinations fold into {@link CellKey#folded}, at most 6 per route more). One lock guards it all: taken by
 * the drain and publish worker and by queries, never by an event loop.
 */
final class UsageStore {

  /** A bucket: its cells, and whether they changed since it was last published. */
  static final class Bucket {
    final Map<CellKey, Usage> cells = new HashMap<>();
    boolean dirty;
  }

  /** Reads the cells of a bucket. */
  @FunctionalInterface
  interface Visitor {
    void cell(long start, CellKey key, Usage usage);
  }

  private final EnumMap<Resolution, TreeMap<Long, Bucket>> buckets = new EnumMap<>(Resolution.class);
  private final EnumMap<Resolution, Integer> kept = new EnumMap<>(Resolution.class);
  private final int maxCells;
  private final Clock clock;

  UsageStore(int minuteBuckets, int hourBuckets, int dayBuckets, int maxCells, Clock clock) {
    kept.put(Resolution.MINUTE, minuteBuckets);
    kept.put(Resolution.HOUR, hourBuckets);
    kept.put(Resolution.DAY, dayBuckets);
    for (Resolution r : Resolution.values()) {
      buckets.put(r, new TreeMap<>());
    }
    this.maxCells = maxCells;
    this.clock = clock;
  }

  /** How many buckets of {@code resolution} are kept (the current one included). */
  int kept(Resolution resolution) {
    return kept.get(resolution);
  }

  /** The start of the oldest bucket of {@code resolution} still kept now. */
  long oldest(Resolution resolution) {
    return resolution.floor(clock.millis()) - (kept(resolution) - 1L) * resolution.millis();
  }

  /** Adds what a cell counted in the minute starting at {@code minute} to that minute, hour and day. */
  synchronized void add(long minute, CellKey key, Usage usage) {
    for (Resolution r : Resolution.values()) {
      long start = r.floor(minute);
      if (start < oldest(r)) {
        continue; // older than what is kept (a clock that jumped)
      }
      Bucket bucket = buckets.get(r).computeIfAbsent(start, s -> new Bucket());
      CellKey k = key;
      Usage existing = bucket.cells.get(k);
      if (existing == null && bucket.cells.size() >= maxCells) {
        k = key.folded();
        existing = bucket.cells.get(k);
      }
      if (existing == null) {
        bucket.cells.put(k, usage.copy());
      } else {
        existing.add(usage);
      }
      bucket.dirty = true;
    }
  }

  /** Drops the buckets past their retention. */
  synchronized void prune() {
    for (Resolution r : Resolution.values()) {
      buckets.get(r).headMap(oldest(r), false).clear();
    }
  }

  /** Reads every cell of the {@code resolution} buckets that start in [from, to). */
  synchronized void read(Resolution resolution, long from, long to, Visitor visitor) {
    for (Map.Entry<Long, Bucket> b : buckets.get(resolution).subMap(from, true, to, false).entrySet()) {
      long start = b.getKey();
      b.getValue().cells.forEach((key, usage) -> visitor.cell(start, key, usage));
    }
  }

  /** Hands every bucket that changed since the last call to {@code publisher}, and marks it published. */
  synchronized void publishChanged(Publisher publisher) {
    for (Resolution r : Resolution.values()) {
      NavigableMap<Long, Bucket> all = buckets.get(r);
      for (Map.Entry<Long, Bucket> b : all.entrySet()) {
        if (b.getValue().dirty) {
          publisher.bucket(r, b.getKey(), b.getValue().cells);
          b.getValue().dirty = false;
        }
      }
    }
  }

  /** Takes a changed bucket (under the store's lock: encode it, do not keep the map). */
  @FunctionalInterface
  interface Publisher {
    void bucket(Resolution resolution, long start, Map<CellKey, Usage> cells);
  }

  /** The number of cells held, all buckets together (for the memory bound's tests). */
  synchronized int cells() {
    int n = 0;
    for (TreeMap<Long, Bucket> m : buckets.values()) {
      for (Bucket b : m.values()) {
        n += b.cells.size();
      }
    }
    return n;
  }
}
