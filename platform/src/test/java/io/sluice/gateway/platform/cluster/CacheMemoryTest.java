// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.sluice.gateway.platform.config.ClusterConfig;
import io.sluice.gateway.platform.config.ConfigLoader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The caches are bounded by a share of the heap, never by an entry count that large entries multiply. */
class CacheMemoryTest {

  private static final long MB = 1024L * 1024;

  private static ClusterConfig cluster(String yaml) {
    return new ConfigLoader().parse("cluster:\n  backend: hazelcast\n" + yaml + "routes: []\n", "t").cluster();
  }

  @Test
  void theHazelcastCacheIsBoundedByAQuarterOfTheHeapByDefault() {
    MapConfig map = HazelcastMember.cacheMap(cluster(""), 256 * MB);
    assertThat(map.getEvictionConfig().getMaxSizePolicy()).isEqualTo(MaxSizePolicy.USED_HEAP_SIZE);
    assertThat(map.getEvictionConfig().getSize()).as("MB: 25 % of a 256 MB heap").isEqualTo(64);
    assertThat(map.getNearCacheConfig().getEvictionConfig().getSize()).as("16 MB of 1 MB entries").isEqualTo(16);

    MapConfig tenth = HazelcastMember.cacheMap(cluster("  cacheMemory: 10\n"), 4096 * MB);
    assertThat(tenth.getEvictionConfig().getSize()).isEqualTo(409);

    MapConfig counted = HazelcastMember.cacheMap(cluster("  cacheEntries: 500\n"), 256 * MB);
    assertThat(counted.getEvictionConfig().getMaxSizePolicy()).isEqualTo(MaxSizePolicy.PER_NODE);
    assertThat(counted.getEvictionConfig().getSize()).isEqualTo(500);
  }

  @Test
  void theLocalStoreIsBoundedByAShareOfTheHeap() {
    assertThat(CacheBudget.bytes(25, 256 * MB)).isEqualTo(64 * MB);
    assertThat(CacheBudget.bytes(1, 10 * MB)).as("at least one largest entry").isEqualTo(MB);
  }

  @Test
  void cacheMemoryOutOfRangeIsRefusedWithItsPath() {
    assertThatThrownBy(() -> cluster("  cacheMemory: 0\n")).hasMessageContaining("cluster.cacheMemory: must be 1..80");
    assertThatThrownBy(() -> cluster("  cacheMemory: 95\n")).hasMessageContaining("cluster.cacheMemory: must be 1..80");
  }

  @Test
  void aRealMemberEvictsBeyondItsHeapBudget() throws Exception {
    // open-source Hazelcast accepts USED_HEAP_SIZE on the map and keeps the map's heap cost within it
    int port = HazelcastClusterServicesContractTest.freePort();
    ClusterConfig config = new ClusterConfig(ClusterConfig.Backend.HAZELCAST, "memory-" + port, "127.0.0.1", port,
        false, List.of("127.0.0.1:" + port), false, null, 0, null, 1);
    long budget = CacheBudget.bytes(1);
    HazelcastInstance member = HazelcastMember.start(config, Map.of());
    try {
      IMap<String, byte[]> cache = member.getMap(HazelcastMember.CACHE);
      byte[] value = new byte[256 * 1024];
      int puts = (int) (3 * budget / value.length);
      for (int i = 0; i < puts; i++) {
        cache.set("k" + i, value);
      }
      long cost = cache.getLocalMapStats().getOwnedEntryMemoryCost();
      assertThat(cache.size()).isBetween(1, puts - 1);
      assertThat(cost).as("heap cost of %d puts of 256 KB, budget %d", puts, budget).isLessThanOrEqualTo(budget);
    } finally {
      member.shutdown();
    }
  }
}
