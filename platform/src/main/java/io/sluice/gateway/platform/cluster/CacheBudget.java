// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.cluster;

/**
 * How much heap a node's caches may use: {@code cluster.cacheMemory} percent of {@code Runtime.maxMemory()}, so
 * that the caches can never fill the heap whatever the entry sizes (the JVM exits on OutOfMemoryError).
 */
final class CacheBudget {

  /** The largest entry assumed when a bound must be counted in entries: the cache plugin's default maxObjectSize. */
  static final long LARGEST_ENTRY = 1024L * 1024;

  /** The default share of the heap, in percent. */
  static final int DEFAULT_PERCENT = 25;

  private CacheBudget() {}

  /** The bytes {@code percent} % of {@code maxMemory} is, at least one largest entry. */
  static long bytes(int percent, long maxMemory) {
    return Math.max(LARGEST_ENTRY, maxMemory * percent / 100);
  }

  /** This JVM's budget for {@code percent}. */
  static long bytes(int percent) {
    return bytes(percent, Runtime.getRuntime().maxMemory());
  }
}
