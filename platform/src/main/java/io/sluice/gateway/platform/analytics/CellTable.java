// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.analytics;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The live cells of one minute of one event loop, by packed key (see {@link Stripe#pack}): an open-addressing
 * table of primitive keys, so a lookup neither boxes nor hashes an object. Not thread-safe: its stripe's lock
 * guards it.
 */
final class CellTable {

  private long[] keys = new long[16];
  private @Nullable LiveCell[] cells = new LiveCell[16];
  private int size;

  int size() {
    return size;
  }

  @Nullable LiveCell get(long key) {
    int mask = keys.length - 1;
    for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
      LiveCell cell = cells[i];
      if (cell == null) {
        return null;
      }
      if (keys[i] == key) {
        return cell;
      }
    }
  }

  void put(long key, LiveCell cell) {
    if ((size + 1) * 2 > keys.length) {
      grow();
    }
    insert(keys, cells, key, cell);
    size++;
  }

  /** Every cell, in no particular order. */
  List<LiveCell> all() {
    List<LiveCell> all = new ArrayList<>(size);
    for (LiveCell c : cells) {
      if (c != null) {
        all.add(c);
      }
    }
    return all;
  }

  /** Removes the cells {@code drop} accepts (rebuilding the table). */
  void removeIf(Predicate<LiveCell> drop) {
    long[] oldKeys = keys;
    LiveCell[] oldCells = cells;
    long[] newKeys = new long[oldKeys.length];
    LiveCell[] newCells = new LiveCell[oldKeys.length];
    int kept = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      LiveCell c = oldCells[i];
      if (c != null && !drop.test(c)) {
        insert(newKeys, newCells, oldKeys[i], c);
        kept++;
      }
    }
    keys = newKeys;
    cells = newCells;
    size = kept;
  }

  private void grow() {
    long[] newKeys = new long[keys.length * 2];
    LiveCell[] newCells = new LiveCell[keys.length * 2];
    for (int i = 0; i < keys.length; i++) {
      LiveCell c = cells[i];
      if (c != null) {
        insert(newKeys, newCells, keys[i], c);
      }
    }
    keys = newKeys;
    cells = newCells;
  }

  private static void insert(long[] keys, @Nullable LiveCell[] cells, long key, LiveCell cell) {
    int mask = keys.length - 1;
    int i = mix(key) & mask;
    while (cells[i] != null) {
      i = (i + 1) & mask;
    }
    keys[i] = key;
    cells[i] = cell;
  }

  private static int mix(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }
}
