// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.proxy;

import io.sluice.gateway.platform.route.Route;
import io.sluice.gateway.platform.upstream.Target;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What answers a request once its policies have proceeded: Envoy's terminal filter. The HTTP upstream call
 * ({@link UpstreamCall}) is the first. A WebSocket relay, HTTP⇄WebSocket translation, a function invocation or a
 * JavaScript handler plug in here, and the request lifecycle ({@link ProxyExchange}) does not know which one it
 * has: it starts the end, relays the body it yields, and asks it what to tell the client when it failed.
 *
 * <p>One per exchange, made by its route's {@link Factory} ({@link #forRoute}); confined to the exchange's event
 * loop.
 */
interface ChainEnd {

  /** Makes the end of one exchange. */
  @FunctionalInterface
  interface Factory {
    ChainEnd create(ProxyExchange owner, ProxyHandler proxy, HttpServerRequest request, Route route,
        GatewayExchange exchange, String requestId, String path);
  }

  /**
   * The factory of a route's end. Every route ends in its upstream today; when routes gain other kinds
   * (WebSocket, function), the route's kind picks the factory here.
   */
  static Factory forRoute(Route route) {
    return UpstreamCall::new;
  }

  /**
   * Starts answering. The future completes once the response head is in {@code exchange.response()} with
   * {@link #body()} ready and paused; it fails with the last error, and {@link #failure} then says what the
   * client gets.
   */
  Future<Void> start(Map<String, String> captures, long declaredLength);

  /** The response body to relay, once {@link #start} succeeded; null before. */
  @Nullable ReadStream<Buffer> body();

  /** Stops what is in progress (request or response): the client went away, or the response is not wanted. */
  void cancel();

  /** Stops, and makes {@code failure} what the client gets if its response has not started. */
  void abort(UpstreamFailure failure);

  /** What the client gets for a failed start whose last error was {@code cause}. */
  UpstreamFailure failure(Throwable cause);

  /** Fires the end's own timeouts when they have passed (called on the exchange deadline tick). */
  void checkDeadline(long now);

  /** Stops the end's timers: the response head is in, or the exchange is over. */
  void stopTimers();

  /** The exchange is over: releases what the end holds (an upstream's in-flight count). */
  void end();

  /** Where the last attempt went, for the exchange record; null without one. */
  @Nullable Target target();

  /** Attempts after the first. */
  int retries();

  /** The last attempt's time to its response head, in nanoseconds; -1 without one. */
  long headLatencyNanos();
}
