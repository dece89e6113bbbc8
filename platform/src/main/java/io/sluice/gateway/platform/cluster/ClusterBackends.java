// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.cluster;

import io.sluice.gateway.platform.config.ClusterConfig;
import io.sluice.gateway.platform.config.GatewayConfig;

/**
 * Chooses the cluster backend that {@code cluster.backend} names: {@code local} (this JVM) or {@code hazelcast}
 * (an embedded member, started and joined here: blocking for the few seconds a join takes).
 */
public final class ClusterBackends {

  private ClusterBackends() {}

  /** The backend for this configuration; read at start only (a change applies at the next restart). */
  public static ClusterBackend create(GatewayConfig config) {
    ClusterConfig cluster = config.cluster();
    return switch (cluster.backend()) {
      case LOCAL -> new LocalClusterServices(CacheBudget.bytes(cluster.cacheMemory()));
      case HAZELCAST -> new HazelcastClusterServices(HazelcastMember.start(cluster, java.util.Map.of()));
    };
  }
}
