// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.map.EntryProcessor;
import io.sluice.gateway.api.cluster.Cache;
import io.sluice.gateway.api.cluster.ClusterServices;
import io.sluice.gateway.platform.config.ClusterConfig;
import io.sluice.gateway.testkit.ClusterServicesContract;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Hazelcast backend keeps the cluster contract on a real two-member cluster in this JVM: successive
 * {@code services} calls alternate between the members, so that what one member writes the other reads.
 */
class HazelcastClusterServicesContractTest extends ClusterServicesContract {

  private static final int CACHE_ENTRIES_PER_MEMBER = 100;
  private static HazelcastClusterServices a;
  private static HazelcastClusterServices b;
  private static final AtomicInteger calls = new AtomicInteger();

  @BeforeAll
  static void startTwoMembers() throws IOException {
    int portA = freePort();
    int portB = freePort();
    List<String> members = List.of("127.0.0.1:" + portA, "127.0.0.1:" + portB);
    // Few partitions, so that the per-member bound of a small cache is not rounded up to one entry per partition.
    Map<String, String> properties = Map.of("hazelcast.partition.count", "11");
    String name = "contract-" + portA;
    a = new HazelcastClusterServices(HazelcastMember.start(cluster(name, portA, members), properties));
    b = new HazelcastClusterServices(HazelcastMember.start(cluster(name, portB, members), properties));
    assertThat(a.member().getCluster().getMembers()).hasSize(2);
  }

  static ClusterConfig cluster(String name, int port, List<String> members) {
    return new ClusterConfig(ClusterConfig.Backend.HAZELCAST, name, "127.0.0.1", port, false, members, false, null, 1,
        CACHE_ENTRIES_PER_MEMBER, null);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @AfterAll
  static void stop() {
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
  }

  @Test
  void membersDeserializeNoClassesButThePlatformsEntryProcessors() {
    String key = "k0";
    for (int i = 0; a.member().getPartitionService().getPartition(key).getOwner().localMember(); i++) {
      key = "k" + i;
    }
    String remote = key;
    EntryProcessor<String, String, Integer> foreign = new io.sluice.gateway.platform.foreign.ForeignProcessor();
    assertThatThrownBy(() -> a.member().<String, String>getMap("filter-test").executeOnKey(remote, foreign))
        .hasStackTraceContaining("not allowed");
    assertThat(a.member().<String, long[]>getMap(HazelcastMember.COUNTERS)
        .executeOnKey(remote, new EntryProcessors.Add(2, 60_000))).as("ours pass").isEqualTo(2L);
  }

  /**
   * A member that does not own a cache entry reads it through its near cache, which Hazelcast invalidates only
   * once the owner expires the entry (lazily, or by a task every 5 s). The entry must still be gone for that
   * member as soon as its time-to-live has passed: polled only there, for well under the task's period.
   */
  @Test
  void aCacheEntryInAMembersNearCacheIsGoneOnceItsTimeToLivePassed() {
    String namespace = "near-" + calls.incrementAndGet();
    String name = "short";
    String key = "k0";
    for (int i = 1; !b.member().getPartitionService()
        .getPartition(ClusterKeys.scoped(ClusterKeys.namespace(namespace), name) + key).getOwner().localMember(); i++) {
      key = "k" + i;
    }
    String ownedByB = key;
    Cache onA = a.namespaced(namespace).cache(name);
    call(() -> onA.put(ownedByB, Buffer.buffer("v"), shortTtl()));
    assertThat(call(() -> onA.get(ownedByB))).as("a hit, now in a's near cache").isEqualTo(Buffer.buffer("v"));
    assertThat(call(() -> onA.get(ownedByB))).as("from a's near cache").isEqualTo(Buffer.buffer("v"));
    await().atMost(shortTtl().plus(Duration.ofSeconds(1))).pollInterval(Duration.ofMillis(20))
        .until(() -> call(() -> onA.get(ownedByB)) == null);
  }

  @Override
  protected ClusterServices services(Vertx vertx, String namespace) {
    return (calls.getAndIncrement() % 2 == 0 ? a : b).namespaced(namespace);
  }

  @Override
  protected int cacheBound() {
    return 2 * CACHE_ENTRIES_PER_MEMBER;
  }
}
