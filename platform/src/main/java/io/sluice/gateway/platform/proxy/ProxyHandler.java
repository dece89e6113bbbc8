// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.proxy;

import io.sluice.gateway.platform.accesslog.AccessLog;
import io.sluice.gateway.platform.config.ServerConfig;
import io.sluice.gateway.platform.http.TrustedProxies;
import io.sluice.gateway.platform.route.PathNormalizer;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Supplier;

/**
 * The proxy listener's request handler: one per event loop, with that loop's upstream connection pool.
 * Each request becomes a {@link ProxyExchange}, which reads the route table once at its start, so a reload
 * never changes the route of a request in flight.
 */
public final class ProxyHandler implements Handler<HttpServerRequest> {

  final Vertx vertx;
  final HttpClient client;
  final Supplier<RoutingSnapshot> routing;
  final PathNormalizer normalizer;
  final ForwardedHeaders forwarded;
  final AccessLog accessLog;
  final ExchangeDeadlines deadlines;

  /**
   * @param client an HTTP client created on the same event loop as the server that calls this handler
   * @param routing the current route table and plugin generation (read once per request)
   */
  public ProxyHandler(
      Vertx vertx, HttpClient client, Supplier<RoutingSnapshot> routing, ServerConfig server, AccessLog accessLog) {
    this.vertx = vertx;
    this.client = client;
    this.routing = routing;
    this.normalizer = new PathNormalizer(server.mergeSlashes(), server.escapedSlashes());
    this.forwarded = new ForwardedHeaders(TrustedProxies.parse(server.trustedProxies()));
    this.accessLog = accessLog;
    this.deadlines = new ExchangeDeadlines(vertx);
  }

  @Override
  public void handle(HttpServerRequest request) {
    new ProxyExchange(this, request).start();
  }
}
