// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api.cluster;

/**
 * The state a policy can share across exchanges and gateway nodes. Every operation is asynchronous and may
 * fail when the cluster is unavailable; policies that depend on it offer a {@code failOpen} setting.
 */
public interface ClusterServices {

  Counters counters();

  /** A store that keeps values until their time-to-live expires (never evicts earlier). */
  <V> KeyValueStore<V> store(String name, Class<V> valueType);

  /** A bounded cache of byte values: entries may be evicted before their time-to-live. */
  Cache cache(String name);
}
