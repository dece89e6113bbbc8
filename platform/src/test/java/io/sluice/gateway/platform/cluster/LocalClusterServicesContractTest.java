// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.cluster;

import io.sluice.gateway.api.cluster.ClusterServices;
import io.sluice.gateway.testkit.ClusterServicesContract;
import io.vertx.core.Vertx;

/** The single-node backend keeps the cluster contract. */
class LocalClusterServicesContractTest extends ClusterServicesContract {

  private static final int CACHE_ENTRIES = 50;

  private final LocalClusterServices backend = new LocalClusterServices(CACHE_ENTRIES);

  @Override
  protected ClusterServices services(Vertx vertx, String namespace) {
    return backend.namespaced(namespace);
  }

  @Override
  protected int cacheBound() {
    return CACHE_ENTRIES;
  }
}
