// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api;

import io.sluice.gateway.api.cluster.ClusterServices;
import io.vertx.core.Vertx;

/**
 * What a {@link PolicyFactory} may use when it creates a route's policy. Explicit accessors, no service
 * locator. The objects stay valid for as long as the policy is in use.
 */
public interface PolicyContext {

  /** The id of the route the policy is created for. */
  String routeId();

  /** The gateway's Vert.x instance: timers and HTTP clients (e.g. to fetch JWKS). Never block its event loops. */
  Vertx vertx();

  /**
   * Cluster-wide state (counters, key-value store, cache), namespaced with the policy type so that plugins
   * cannot read each other's keys. Local to this node when the gateway runs alone.
   */
  ClusterServices cluster();
}
