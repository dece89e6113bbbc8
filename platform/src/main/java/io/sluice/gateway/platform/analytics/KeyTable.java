// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.analytics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The values of one dimension (routes, consumers or upstreams) this node has counted, each with a small
 * number, so that an event loop finds its cell by a packed {@code long} and not a key object built per
 * exchange. Bounded: past {@code analytics.maxKeys} values, every new one is {@link #OTHER_ID} (for good: the
 * first values seen since the start keep their own keys). A known value costs one map read.
 */
final class KeyTable {

  /** The number of every value past the bound. */
  static final int OTHER_ID = 0;

  private final ConcurrentHashMap<String, Integer> ids = new ConcurrentHashMap<>();
  private final AtomicInteger next = new AtomicInteger(1);
  private final int max;

  KeyTable(int max) {
    this.max = max;
  }

  /** The number of {@code value}: its own, or {@link #OTHER_ID} once the table is full. */
  int id(String value) {
    Integer id = ids.get(value);
    if (id != null) {
      return id;
    }
    if (ids.size() >= max) {
      return OTHER_ID; // a race can let a few more in than max: still bounded, by max + event loops
    }
    return ids.computeIfAbsent(value, v -> next.getAndIncrement());
  }

  /** The name a cell shows for {@code value} numbered {@code id}. */
  static String name(int id, String value) {
    return id == OTHER_ID ? CellKey.OTHER : value;
  }
}
