// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.analytics;

import io.sluice.gateway.platform.cluster.NodeBoard;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link NodeBoard} of several nodes in one JVM, for unit tests of the merge (the Hazelcast one is exercised by
 * AnalyticsClusterIT): one shared map of every node's entries.
 */
final class MemoryBoard implements NodeBoard {

  private final String self;
  private final Map<String, Map<String, byte[]>> all;

  private MemoryBoard(String self, Map<String, Map<String, byte[]>> all) {
    this.self = self;
    this.all = all;
    all.putIfAbsent(self, new ConcurrentHashMap<>());
  }

  /** The boards of {@code names}, sharing one map. */
  static List<MemoryBoard> of(String... names) {
    Map<String, Map<String, byte[]>> shared = new ConcurrentHashMap<>();
    List<MemoryBoard> boards = new ArrayList<>();
    for (String n : names) {
      boards.add(new MemoryBoard(n, shared));
    }
    return boards;
  }

  @Override
  public String selfName() {
    return self;
  }

  @Override
  public Collection<String> memberNames() {
    return List.copyOf(all.keySet());
  }

  @Override
  public void publish(String key, byte[] value, Duration ttl) {
    all.get(self).put(key, value);
  }

  @Override
  public Map<String, Collection<byte[]>> readOthers(Collection<String> keys) {
    Map<String, Collection<byte[]>> found = new HashMap<>();
    all.forEach((node, entries) -> {
      if (!node.equals(self)) {
        for (String k : keys) {
          byte[] v = entries.get(k);
          if (v != null) {
            found.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
          }
        }
      }
    });
    return found;
  }
}
