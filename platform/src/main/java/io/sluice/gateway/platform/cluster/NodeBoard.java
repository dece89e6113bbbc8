// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.cluster;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;

/**
 * Entries each node publishes for the other nodes to read (analytics buckets): one shared map, each entry under
 * its member's id, expiring after its time-to-live, and removed when its member leaves the cluster. Only the
 * members in the cluster now are read, so an entry of a member gone is never seen even before it is removed.
 */
public interface NodeBoard {

  /** This node's name as the others see it: its member's {@code host:port}. */
  String selfName();

  /** The names of the members in the cluster now, this one's included. */
  Collection<String> memberNames();

  /** Replaces this node's entry {@code key}. Asynchronous and never blocking: a failure is logged (rate-limited). */
  void publish(String key, byte[] value, Duration ttl);

  /**
   * The entries {@code keys} of every other member in the cluster now: per key, the values found. Blocking (a
   * round trip to the owners): call it on a worker.
   */
  Map<String, Collection<byte[]>> readOthers(Collection<String> keys);
}
