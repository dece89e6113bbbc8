// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.policy;

import io.sluice.gateway.api.PolicyContext;
import io.sluice.gateway.api.PolicyMeters;
import io.sluice.gateway.api.auth.Consumers;
import io.sluice.gateway.api.cluster.ClusterServices;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;

/** The context a factory sees for one route and policy type. */
public record RoutePolicyContext(
    String routeId, Vertx vertx, WebClient httpClient, ClusterServices cluster, Consumers consumers,
    PolicyMeters meters)
    implements PolicyContext {

  /** A context with the gateway's shared HTTP client for policies (one per Vert.x instance), without metrics. */
  public RoutePolicyContext(String routeId, Vertx vertx, ClusterServices cluster, Consumers consumers) {
    this(routeId, vertx, PluginHttpClient.of(vertx), cluster, consumers, PolicyMeters.NONE);
  }

  /** A context without metrics. */
  public RoutePolicyContext(String routeId, Vertx vertx, WebClient httpClient, ClusterServices cluster,
      Consumers consumers) {
    this(routeId, vertx, httpClient, cluster, consumers, PolicyMeters.NONE);
  }

  /** A context with the gateway's shared HTTP client for policies and the policy's {@code meters}. */
  public static RoutePolicyContext withMeters(String routeId, Vertx vertx, ClusterServices cluster,
      Consumers consumers, PolicyMeters meters) {
    return new RoutePolicyContext(routeId, vertx, PluginHttpClient.of(vertx), cluster, consumers, meters);
  }
}
