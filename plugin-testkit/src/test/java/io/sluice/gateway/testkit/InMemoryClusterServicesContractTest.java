// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.testkit;

import io.sluice.gateway.api.cluster.ClusterServices;
import io.vertx.core.Vertx;

/** The test kit's in-memory facade keeps the same contract as the gateway's backends. */
class InMemoryClusterServicesContractTest extends ClusterServicesContract {

  private static final int CACHE_ENTRIES = 50;

  private final InMemoryClusterServices cluster = new InMemoryClusterServices(CACHE_ENTRIES);

  @Override
  protected ClusterServices services(Vertx vertx, String namespace) {
    return cluster.namespaced(namespace);
  }

  @Override
  protected int cacheBound() {
    return CACHE_ENTRIES;
  }
}
