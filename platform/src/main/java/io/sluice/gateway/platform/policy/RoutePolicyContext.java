// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.policy;

import io.sluice.gateway.api.PolicyContext;
import io.sluice.gateway.api.PolicyMeters;
import io.sluice.gateway.api.RouteUpstream;
import io.sluice.gateway.api.auth.Consumers;
import io.sluice.gateway.api.cluster.ClusterServices;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;

/**
 * The context a factory sees for one route and policy type.
 *
 * @param upstream the route's upstream for requests the policy sends itself; {@link RouteUpstream#UNSUPPORTED}
 *     where the context has no gateway behind it
 */
public record RoutePolicyContext(
    String routeId, Vertx vertx, WebClient httpClient, ClusterServices cluster, Consumers consumers,
    PolicyMeters meters, RouteUpstream upstream)
    implements PolicyContext {

  /** A context without a route upstream. */
  public RoutePolicyContext(String routeId, Vertx vertx, WebClient httpClient, ClusterServices cluster,
      Consumers consumers, PolicyMeters meters) {
    this(routeId, vertx, httpClient, cluster, consumers, meters, RouteUpstream.UNSUPPORTED);
  }

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

  /** This context with the route's {@code upstream} (the gateway binds it to the compiled route). */
  public RoutePolicyContext withUpstream(RouteUpstream upstream) {
    return new RoutePolicyContext(routeId, vertx, httpClient, cluster, consumers, meters, upstream);
  }
}
