// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.sluice.gateway.platform.Gateway;
import io.sluice.gateway.platform.config.ClusterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A start that fails while reading the cluster's configuration leaves no Hazelcast member behind. */
class GatewayStartClusterLeakTest {

  @TempDir Path dir;

  @Test
  void theMemberIsShutDownWhenTheClustersConfigurationCannotBeRead() throws Exception {
    int portA = HazelcastClusterServicesContractTest.freePort();
    int portB = HazelcastClusterServicesContractTest.freePort();
    String name = "leak-" + portA;
    String members = "127.0.0.1:" + portA + ", 127.0.0.1:" + portB;
    HazelcastInstance a = HazelcastMember.start(new ClusterConfig(ClusterConfig.Backend.HAZELCAST, name, "127.0.0.1",
        portA, false, List.of("127.0.0.1:" + portA, "127.0.0.1:" + portB), false, null, 1, null, null), Map.of());
    try {
      a.<String, String>getMap(HazelcastMember.CONFIG).set(SharedConfigSource.KEY, "not a copy");
      Path file = dir.resolve("sluice.yaml");
      Files.writeString(file, """
          server: { host: 127.0.0.1, port: %d }
          cluster: { backend: hazelcast, name: %s, port: %d, portAutoIncrement: false, members: [%s] }
          routes: []
          """.formatted(HazelcastClusterServicesContractTest.freePort(), name, portB, members));
      assertThatThrownBy(() -> Gateway.start(file)).isInstanceOf(RuntimeException.class);
      assertThat(Hazelcast.getAllHazelcastInstances()).as("the failed start's member is shut down").containsExactly(a);
      await().atMost(Duration.ofSeconds(20)).until(() -> a.getCluster().getMembers().size() == 1);
    } finally {
      a.shutdown();
    }
  }
}
