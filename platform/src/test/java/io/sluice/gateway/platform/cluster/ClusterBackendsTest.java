// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.platform.config.ConfigLoader;
import io.sluice.gateway.platform.config.GatewayConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterBackendsTest {

  @TempDir Path dir;

  @Test
  void theLocalBackendIsTheDefaultAndCanBeNamed() throws Exception {
    assertThat(ClusterBackends.create(load("routes: []\n"))).isInstanceOf(LocalClusterServices.class);
    assertThat(ClusterBackends.create(load("cluster: { backend: local }\n"))).isInstanceOf(LocalClusterServices.class);
  }

  @Test
  void anUnknownBackendIsAConfigurationError() throws Exception {
    Path file = dir.resolve("sluice.yaml");
    Files.writeString(file, "cluster: { backend: zookeeper }\n");
    ConfigLoader.Loaded loaded = new ConfigLoader().loadAll(file);
    assertThat(loaded.problems()).anySatisfy(p -> assertThat(p.getMessage()).startsWith("cluster.backend"));
  }

  private GatewayConfig load(String yaml) throws Exception {
    Path file = dir.resolve("sluice.yaml");
    Files.writeString(file, yaml);
    ConfigLoader.Loaded loaded = new ConfigLoader().loadAll(file);
    assertThat(loaded.problems()).isEmpty();
    return loaded.config();
  }
}
