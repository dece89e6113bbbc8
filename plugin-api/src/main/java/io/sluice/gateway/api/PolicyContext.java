// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api;

import io.sluice.gateway.api.auth.Consumers;
import io.sluice.gateway.api.cluster.ClusterServices;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;

/**
 * What a {@link PolicyFactory} may use when it creates a route's policy. Explicit accessors, no service
 * locator. The objects stay valid for as long as the policy is in use; the gateway owns them, so a policy
 * never closes them.
 *
 * <pre>{@code
 * public Policy create(IntrospectionConfig config, PolicyContext context) {
 *   WebClient http = context.httpClient();
 *   long ms = config.timeout().toMillis();
 *   return (exchange, chain) -> http.postAbs(config.url())
 *       .idleTimeout(ms)
 *       .sendForm(form(exchange))
 *       .timeout(ms, TimeUnit.MILLISECONDS)
 *       .compose(answer -> answer.statusCode() == 200
 *           ? chain.proceed()
 *           : exchange.reject(Rejection.of(401, "TOKEN_INVALID")));
 * }
 * }</pre>
 */
public interface PolicyContext {

  /** The id of the route the policy is created for. */
  String routeId();

  /**
   * The gateway's Vert.x instance, for what the rest of this context does not cover: timers
   * ({@code setTimer}, {@code setPeriodic}: a background key refresh, a delayed retry) and
   * {@code executeBlocking} for the rare call that must block. Never block its event loops; do not deploy
   * verticles, create servers or close it. Make HTTP calls with {@link #httpClient()}, not with a client of
   * your own: the gateway's is shared, sized and closed at shutdown.
   *
   * <p>Kept deliberately: wrapping timers in an interface of our own would copy Vert.x's without adding
   * safety, since code on an event loop reaches the same instance through {@code Vertx.currentContext()}.
   */
  Vertx vertx();

  /**
   * The gateway's HTTP client for calls a policy makes itself (token introspection, JWKS, webhooks). One per
   * gateway, shared by all policies and event loops; its futures complete on the calling event loop. Bound
   * every call: a policy waiting on a slow service holds the exchange. The request's own timeouts
   * ({@code .timeout(ms)}, {@code .idleTimeout(ms)}) end a call only after that long without a byte, so a
   * service that trickles its answer is cut only by a deadline on the future ({@code .timeout(ms, unit)}).
   * Connections are pooled per host; TLS uses the JVM's trust store.
   */
  WebClient httpClient();

  /**
   * Cluster-wide state (counters, key-value store, cache), namespaced with the policy type so that plugins
   * cannot read each other's keys. Local to this node when the gateway runs alone. See
   * {@link io.sluice.gateway.api.cluster} for the contract: futures complete on the calling event loop, and
   * store values are limited to types every node can read.
   */
  ClusterServices cluster();

  /**
   * The configured consumers and their credentials, for authentication policies. Empty when the
   * configuration has none.
   */
  Consumers consumers();

  /**
   * Counters this policy reports through the gateway's metrics, named under
   * {@code sluice_plugin_<type>_} and labelled with the route (see {@link PolicyMeters}). Ask for them in
   * {@link PolicyFactory#create}, not per request. The default counts nothing, for contexts without metrics.
   */
  default PolicyMeters meters() {
    return PolicyMeters.NONE;
  }

  /**
   * The upstream of this policy's route, for requests the policy makes outside an exchange's own upstream call
   * (a cache's background revalidation): they go through the route's path mapping, balancer, health, breakers,
   * retries, timeouts and TLS as proxied requests do. See {@link RouteUpstream} for the contract. Ask for it in
   * {@link PolicyFactory#create}; the gateway makes nothing for a policy that never sends.
   *
   * <pre>{@code
   * RouteUpstream upstream = context.upstream();
   * upstream.send(exchange, HttpMethod.GET, "/items/7", MultiMap.caseInsensitiveMultiMap(), 64 * 1024)
   *     .onSuccess(r -> refresh(r.status(), r.headers(), r.body()))
   *     .onFailure(err -> log.debug("revalidation failed: {}", err.toString()));
   * }</pre>
   *
   * <p>The default, for contexts without a gateway behind them, fails every request ({@link
   * RouteUpstream#UNSUPPORTED}).
   */
  default RouteUpstream upstream() {
    return RouteUpstream.UNSUPPORTED;
  }
}
