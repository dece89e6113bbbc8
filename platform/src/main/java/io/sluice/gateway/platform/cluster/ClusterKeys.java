// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.cluster;

import java.time.Duration;

/**
 * How both cluster backends name and time their entries, so that a plugin sees the same rules on one node
 * and on a cluster: a plugin's keys live under its namespace ({@code namespace NUL}), a store's or cache's
 * under its name within that ({@code namespace NUL name NUL}), so no two plugins, stores or caches can reach
 * each other's entries whatever their keys hold; and a time-to-live is at least one millisecond (Hazelcast's
 * resolution), refused below it with the same message on both backends.
 *
 * <p>The test kit's {@code InMemoryClusterServices} keeps its own copy: the test kit does not depend on the
 * platform.
 */
final class ClusterKeys {

  private static final char SEPARATOR = '\u0000';

  private ClusterKeys() {}

  /** The prefix of every key of {@code namespace} (a plugin's id). */
  static String namespace(String namespace) {
    return namespace + SEPARATOR;
  }

  /** The prefix of the keys of the store or cache {@code name} within a namespace's {@code prefix}. */
  static String scoped(String prefix, String name) {
    return prefix + name + SEPARATOR;
  }

  /** {@code ttl} in milliseconds; refuses one below 1 ms (zero and negative included). */
  static long ttlMillis(Duration ttl) {
    if (ttl.isNegative() || ttl.toMillis() < 1) {
      throw new IllegalArgumentException("the time-to-live must be at least 1 ms, was " + ttl);
    }
    return ttl.toMillis();
  }

  /** {@code ttl} in nanoseconds, under the rule of {@link #ttlMillis}. */
  static long ttlNanos(Duration ttl) {
    ttlMillis(ttl);
    return ttl.toNanos();
  }
}
