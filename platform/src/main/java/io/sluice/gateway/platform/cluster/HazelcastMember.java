// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.config.NearCacheConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.sluice.gateway.platform.config.ClusterConfig;
import java.util.Map;

/**
 * The embedded Hazelcast member of a node: its configuration from {@code cluster:}, quiet and quick to form
 * (no phone-home, no health monitor, no multicast unless asked, a 1 s connection timeout, no wait before
 * joining, logging through SLF4J) and its maps: counters and budgets (object format, for entry processors),
 * stores, the size-bounded cache (with a near cache), the shared configuration and the nodes' reports.
 */
final class HazelcastMember {

  static final String COUNTERS = "sluice.counters";
  static final String BUDGETS = "sluice.budgets";
  static final String STORES = "sluice.stores";
  static final String CACHE = "sluice.cache";
  static final String CONFIG = "sluice.config";
  static final String NODES = "sluice.nodes";
  /** The prefix of the nodes' boards ({@link NodeBoard}): {@code sluice.board.analytics}. */
  static final String BOARD_PREFIX = "sluice.board.";

  private HazelcastMember() {}

  /** Starts a member and joins (or forms) the cluster; blocking, a few seconds at most on a quiet network. */
  static HazelcastInstance start(ClusterConfig cluster, Map<String, String> properties) {
    return Hazelcast.newHazelcastInstance(config(cluster, properties));
  }

  /** The member's Hazelcast configuration; {@code properties} add to (or override) the defaults, for tests. */
  static Config config(ClusterConfig cluster, Map<String, String> properties) {
    Config config = new Config();
    config.setClusterName(cluster.name());
    Map<String, String> defaults = new java.util.LinkedHashMap<>();
    defaults.put("hazelcast.logging.type", "slf4j");
    defaults.put("hazelcast.phone.home.enabled", "false");
    defaults.put("hazelcast.health.monitoring.level", "OFF");
    defaults.put("hazelcast.wait.seconds.before.join", "0");
    // The gateway shuts the member down itself, after the requests in flight (Gateway.close).
    defaults.put("hazelcast.shutdownhook.enabled", "false");
    // A leaving member hands its partitions over, but never holds a SIGTERM longer than this.
    defaults.put("hazelcast.graceful.shutdown.max.wait", "20");
    // Near-cache invalidations go out at once, not in batches every 10 s.
    defaults.put("hazelcast.map.invalidation.batch.enabled", "false");
    // A member that stops answering is dropped after 15 s (Hazelcast's default: 60 s), its backups promoted.
    defaults.put("hazelcast.heartbeat.interval.seconds", "1");
    defaults.put("hazelcast.max.no.heartbeat.seconds", "15");
    // Listen on cluster.host only, not on every interface: the member port is unauthenticated.
    defaults.put("hazelcast.socket.bind.any", "false");
    // A system property (-Dhazelcast....) of the same name wins over these defaults.
    defaults.forEach((name, value) -> {
      if (System.getProperty(name) == null) {
        config.setProperty(name, value);
      }
    });
    config.setProperty("hazelcast.local.localAddress", cluster.host());
    properties.forEach(config::setProperty);

    // Java deserialization from the network only for the platform's entry processors (and the arrays they
    // carry), never any gadget class a peer might send.
    JavaSerializationFilterConfig filter = new JavaSerializationFilterConfig();
    filter.getWhitelist().addPackages(HazelcastMember.class.getPackageName()).addClasses("[J", "[D", "[B");
    config.getSerializationConfig().setJavaSerializationFilterConfig(filter);

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(cluster.portAutoIncrement());
    JoinConfig join = network.getJoin();
    join.getAutoDetectionConfig().setEnabled(false);
    join.getMulticastConfig().setEnabled(cluster.multicast());
    ClusterConfig.Kubernetes k8s = cluster.kubernetes();
    if (k8s.enabled()) {
      join.getTcpIpConfig().setEnabled(false);
      var kubernetes = join.getKubernetesConfig().setEnabled(true);
      if (k8s.namespace() != null) {
        kubernetes.setProperty("namespace", k8s.namespace());
      }
      if (k8s.serviceName() != null) {
        kubernetes.setProperty("service-name", k8s.serviceName());
      }
      if (k8s.serviceDns() != null) {
        kubernetes.setProperty("service-dns", k8s.serviceDns());
      }
    } else {
      var tcp = join.getTcpIpConfig().setEnabled(!cluster.multicast() || !cluster.members().isEmpty())
          .setConnectionTimeoutSeconds(1);
      cluster.members().forEach(tcp::addMember);
    }

    int backups = cluster.backupCount();
    config.getMapConfig("default").setBackupCount(backups);
    config.addMapConfig(new MapConfig(COUNTERS).setBackupCount(backups).setInMemoryFormat(InMemoryFormat.OBJECT));
    config.addMapConfig(new MapConfig(BUDGETS).setBackupCount(backups).setInMemoryFormat(InMemoryFormat.OBJECT));
    config.addMapConfig(new MapConfig(STORES).setBackupCount(backups));
    config.addMapConfig(new MapConfig(CONFIG).setBackupCount(Math.max(1, backups)));
    config.addMapConfig(new MapConfig(NODES).setBackupCount(Math.max(1, backups)));
    config.addMapConfig(cacheMap(cluster, Runtime.getRuntime().maxMemory()));
    return config;
  }

  /**
   * The cache map: bounded per member by a share of the heap ({@code cluster.cacheMemory} of {@code maxMemory}),
   * least recently used go first, read through a near cache invalidated on change. The whole budget is the map's
   * {@code USED_HEAP_SIZE} (in open-source Hazelcast; it needs the BINARY format), which Hazelcast 5 checks on
   * each put against the member's total for the map: owned entries, backups and the near cache together. The
   * near cache itself can only be bounded by count: at most a quarter of the budget in entries of the largest
   * size ({@link CacheBudget#LARGEST_ENTRY}), so that it never crowds out the map. An explicit
   * {@code cacheEntries} replaces the heap bound with an entry count.
   */
  static MapConfig cacheMap(ClusterConfig cluster, long maxMemory) {
    long budget = CacheBudget.bytes(cluster.cacheMemory(), maxMemory);
    long near = budget / 4;
    Integer entries = cluster.cacheEntries();
    int nearEntries = (int) Math.max(1, Math.min(entries != null ? entries : 10_000, near / CacheBudget.LARGEST_ENTRY));
    EvictionConfig eviction = new EvictionConfig().setEvictionPolicy(EvictionPolicy.LRU);
    if (entries != null) {
      eviction.setMaxSizePolicy(MaxSizePolicy.PER_NODE).setSize(entries);
    } else {
      eviction.setMaxSizePolicy(MaxSizePolicy.USED_HEAP_SIZE).setSize((int) Math.max(1, budget >> 20));
    }
    return new MapConfig(CACHE).setBackupCount(cluster.backupCount()).setInMemoryFormat(InMemoryFormat.BINARY)
        .setEvictionConfig(eviction)
        .setNearCacheConfig(new NearCacheConfig(CACHE).setInvalidateOnChange(true)
            .setInMemoryFormat(InMemoryFormat.BINARY)
            .setEvictionConfig(new EvictionConfig().setEvictionPolicy(EvictionPolicy.LRU)
                .setMaxSizePolicy(MaxSizePolicy.ENTRY_COUNT).setSize(nearEntries)));
  }
}
