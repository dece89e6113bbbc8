// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.ratelimit;

import io.sluice.gateway.api.PolicyContext;
import io.sluice.gateway.api.PolicyMeters;
import io.sluice.gateway.api.auth.Consumers;
import io.sluice.gateway.api.cluster.Cache;
import io.sluice.gateway.api.cluster.ClusterServices;
import io.sluice.gateway.api.cluster.Counters;
import io.sluice.gateway.api.cluster.KeyValueStore;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;

/** A policy context on a given Vert.x and cluster facade (or counters), as one gateway node would give it. */
record TestContext(Vertx vertx, ClusterServices cluster, String routeId, PolicyMeters meters) implements PolicyContext {

  TestContext(Vertx vertx, ClusterServices cluster, String routeId) {
    this(vertx, cluster, routeId, PolicyMeters.NONE);
  }

  /** A facade whose counters are {@code counters} (the rest is not used by rate-limit). */
  static ClusterServices withCounters(Counters counters) {
    return new ClusterServices() {
      @Override
      public Counters counters() {
        return counters;
      }

      @Override
      public <V> KeyValueStore<V> store(String name, Class<V> valueType) {
        throw new UnsupportedOperationException("rate-limit uses counters only");
      }

      @Override
      public Cache cache(String name) {
        throw new UnsupportedOperationException("rate-limit uses counters only");
      }
    };
  }

  @Override
  public WebClient httpClient() {
    throw new UnsupportedOperationException("rate-limit makes no HTTP calls");
  }

  @Override
  public Consumers consumers() {
    return Consumers.none();
  }
}
