// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.proxy;

import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.sluice.gateway.platform.config.ServerConfig;
import io.sluice.gateway.platform.edge.Refusal;
import io.sluice.gateway.platform.exchange.ExchangeListener;
import io.sluice.gateway.platform.http.TrustedProxies;
import io.sluice.gateway.platform.route.PathNormalizer;
import io.sluice.gateway.platform.tracing.Tracing;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

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
  final ConsumerHeaders consumerHeaders;
  /** Told about every finished exchange; null when nothing listens (then no record is built). */
  final @Nullable ExchangeListener exchanges;
  final ExchangeDeadlines deadlines;
  final AllowedMethods methods;
  /** W3C trace context and span export; null when tracing is off (then an exchange makes no tracing call). */
  final @Nullable Tracing tracing;

  /**
   * @param client an HTTP client created on the same event loop as the server that calls this handler
   * @param routing the current route table and plugin generation (read once per request)
   */
  public ProxyHandler(
      Vertx vertx, HttpClient client, Supplier<RoutingSnapshot> routing, ServerConfig server,
      @Nullable ExchangeListener exchanges) {
    this(vertx, client, routing, server, exchanges, null);
  }

  /** @param tracing the gateway's tracing, null when it is off */
  public ProxyHandler(
      Vertx vertx, HttpClient client, Supplier<RoutingSnapshot> routing, ServerConfig server,
      @Nullable ExchangeListener exchanges, @Nullable Tracing tracing) {
    this.tracing = tracing;
    this.vertx = vertx;
    this.client = client;
    this.routing = routing;
    this.normalizer = PathNormalizer.of(server);
    this.methods = new AllowedMethods(server.allowedMethods());
    this.forwarded = new ForwardedHeaders(TrustedProxies.parse(server.trustedProxies()));
    this.consumerHeaders = new ConsumerHeaders(server.consumerHeaders());
    this.exchanges = exchanges;
    this.deadlines = new ExchangeDeadlines(vertx);
  }

  @Override
  public void handle(HttpServerRequest request) {
    new ProxyExchange(this, request).start();
  }

  /**
   * A request Netty's decoder could not parse (the edge guard is stricter, so this is rare: HTTP/2, or h2c
   * listeners without the guard): answered and logged like every other refusal.
   */
  public void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    Refusal refusal = new Refusal(400, "REQUEST_MALFORMED", "the request could not be parsed");
    if (cause instanceof TooLongHttpLineException) {
      refusal = new Refusal(414, "URI_TOO_LONG", "the request line is too long");
    } else if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
      refusal = new Refusal(431, "HEADERS_TOO_LARGE", "the request headers are too large");
    }
    new ProxyExchange(this, request).startRefused(refusal);
  }
}
