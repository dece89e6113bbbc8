// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.sluice.gateway.platform.config.ClusterConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The member listens on {@code cluster.host} only, and the nodes' reports do not outlive their members. */
class ClusterHardeningTest {

  private static ClusterConfig cluster(String name, int port, List<String> members) {
    return new ClusterConfig(ClusterConfig.Backend.HAZELCAST, name, "127.0.0.1", port, false, members, false, null, 1,
        null, null);
  }

  @Test
  void listensOnTheConfiguredHostOnly() throws Exception {
    int port = HazelcastClusterServicesContractTest.freePort();
    HazelcastInstance member = HazelcastMember.start(cluster("bind-" + port, port, List.of("127.0.0.1:" + port)),
        Map.of());
    try {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
      }
      assertThatThrownBy(() -> {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.2", port), 2_000); // another loopback address: not bound
        }
      }).as("not bound to the wildcard address").isInstanceOf(IOException.class);
    } finally {
      member.shutdown();
    }
  }

  @Test
  void aMembersReportGoesWhenItLeavesAndStaleOnesAtStart() throws Exception {
    int portA = HazelcastClusterServicesContractTest.freePort();
    int portB = HazelcastClusterServicesContractTest.freePort();
    List<String> members = List.of("127.0.0.1:" + portA, "127.0.0.1:" + portB);
    String name = "reports-" + portA;
    HazelcastInstance a = HazelcastMember.start(cluster(name, portA, members), Map.of());
    HazelcastInstance b = null;
    try {
      b = HazelcastMember.start(cluster(name, portB, members), Map.of());
      IMap<String, String> nodes = a.getMap(HazelcastMember.NODES);
      nodes.set("00000000-0000-0000-0000-000000000000", "{}"); // a member of an earlier run
      String bId = b.getCluster().getLocalMember().getUuid().toString();
      b.<String, String>getMap(HazelcastMember.NODES).set(bId, "{}");
      new NodeReports(a, null, "test");
      await().atMost(Duration.ofSeconds(10)).until(() -> !nodes.containsKey("00000000-0000-0000-0000-000000000000"));
      assertThat(nodes.containsKey(bId)).isTrue();
      b.shutdown();
      b = null;
      await().atMost(Duration.ofSeconds(30)).until(() -> !nodes.containsKey(bId));
    } finally {
      if (b != null) {
        b.shutdown();
      }
      a.shutdown();
    }
  }
}
