// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import io.sluice.gateway.api.config.ConfigException;
import io.sluice.gateway.platform.config.ClusterConfig;
import io.sluice.gateway.platform.config.ConfigLoader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code cluster:} section: defaults, every bad field named by its path, and the member it configures. */
class ClusterConfigTest {

  private final ConfigLoader loader = new ConfigLoader();

  @Test
  void offByDefaultAndQuietWhenOn() {
    ClusterConfig defaults = loader.parse("routes: []\n", "t").cluster();
    assertThat(defaults.clustered()).isFalse();
    assertThat(defaults.backupCount()).isEqualTo(1);

    ClusterConfig on = loader.parse("""
        cluster:
          backend: hazelcast
          name: prod
          port: 5801
          members: [10.0.0.1, "10.0.0.2:5801"]
        """, "t").cluster();
    Config hz = HazelcastMember.config(on, Map.of());
    assertThat(hz.getClusterName()).isEqualTo("prod");
    assertThat(hz.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
    assertThat(hz.getProperty("hazelcast.health.monitoring.level")).isEqualTo("OFF");
    assertThat(hz.getProperty("hazelcast.logging.type")).isEqualTo("slf4j");
    assertThat(hz.getNetworkConfig().getJoin().getMulticastConfig().isEnabled()).isFalse();
    assertThat(hz.getNetworkConfig().getJoin().getTcpIpConfig().getMembers()).containsExactly("10.0.0.1", "10.0.0.2:5801");
    assertThat(hz.getNetworkConfig().getJoin().getTcpIpConfig().getConnectionTimeoutSeconds()).isEqualTo(1);
    assertThat(hz.getMapConfig(HazelcastMember.COUNTERS).getBackupCount()).isEqualTo(1);
  }

  @Test
  void kubernetesDiscoveryIsHazelcastsOwn() {
    ClusterConfig k8s = loader.parse("""
        cluster: { backend: hazelcast, kubernetes: { enabled: true, serviceDns: sluice.default.svc.cluster.local } }
        """, "t").cluster();
    var join = HazelcastMember.config(k8s, Map.of()).getNetworkConfig().getJoin();
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperty("service-dns")).isEqualTo("sluice.default.svc.cluster.local");
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
  }

  @Test
  void everyBadFieldIsNamedByItsPath() {
    assertThat(problems("cluster: { backend: hazelcast, port: 70000 }")).containsExactly("cluster.port");
    assertThat(problems("cluster: { members: [10.0.0.1, 'h:x'] }")).containsExactly("cluster.members[1]");
    assertThat(problems("cluster: { backupCount: 7 }")).containsExactly("cluster.backupCount");
    assertThat(problems("cluster: { name: ' ' }")).containsExactly("cluster.name");
    assertThat(problems("cluster: { host: 0.0.0.0 }")).containsExactly("cluster.host");
    assertThat(problems("cluster: { cacheEntries: 0 }")).containsExactly("cluster.cacheEntries");
    assertThat(problems("cluster: { members: [a], kubernetes: { enabled: true } }")).containsExactly("cluster.kubernetes.enabled");
    assertThat(problems("cluster: { kubernetes: { serviceName: a, serviceDns: b } }")).containsExactly("cluster.kubernetes.serviceDns");
    assertThat(problems("cluster: { memebers: [] }")).containsExactly("cluster");
  }

  private List<String> problems(String yaml) {
    return loader.parseAll(yaml + "\n", "t").problems().stream().map(ConfigException::path).toList();
  }
}
