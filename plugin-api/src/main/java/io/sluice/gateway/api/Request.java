// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The client's request as policies see it. Header and body changes are what the upstream receives.
 *
 * <p>Like its {@link Exchange}, a request is confined to the exchange's event loop: read and change it only
 * from {@link Policy#apply} and the callbacks of futures composed there. No accessor blocks or fails; the
 * values are parsed by the gateway before the chain runs (the query parameters on first use).
 */
public interface Request {

  /** The request method, e.g. {@code GET}. */
  HttpMethod method();

  /** The normalised path the route matched (never contains {@code ..} or {@code //}). */
  String path();

  /** The raw query string without {@code ?}, or null when the request has none. */
  @Nullable String query();

  /** The decoded query parameters (parsed on first use); empty when there is no query. */
  MultiMap queryParams();

  /**
   * Replaces the raw query string (without {@code ?}, already encoded) that the upstream receives; null or
   * empty sends none. {@link #query()} and {@link #queryParams()} then answer the new one. For a policy that
   * consumes a parameter, e.g. {@code key-auth} removing {@code ?apikey=}: see {@link QueryStrings#without}.
   *
   * @throws UnsupportedOperationException by implementations that cannot change it (the default)
   * @since 0.1 (added with authentication: implementations outside the gateway and the test kit may not have it)
   */
  default void query(@Nullable String query) {
    throw new UnsupportedOperationException("this request's query cannot be changed");
  }

  /**
   * The request headers, case-insensitive; changes here are what the upstream receives. Hop-by-hop headers are
   * already gone. The gateway writes {@code Host}, {@code X-Forwarded-*}, {@code Forwarded}, {@code Via} and
   * {@code X-Request-Id} on the upstream request itself, so changes to those do not reach the upstream as
   * written.
   */
  MultiMap headers();

  /** What the route's path pattern captured: {@code {id}} and named catch-alls. Empty when nothing was captured. */
  Map<String, String> pathParams();

  /** The host the client asked for, lower-case, without port. */
  String host();

  /**
   * The IP address of the connection's peer: the client itself, or the load balancer in front of the gateway.
   * Empty when the transport has no address. Policies that decide by client address use
   * {@link #clientAddress()} instead.
   */
  String remoteAddress();

  /**
   * The IP address of the client that sent the request, resolved through the gateway's trusted proxies
   * ({@code server.trustedProxies}): the peer itself unless it is a trusted proxy; behind trusted proxies,
   * the right-most {@code X-Forwarded-For} entry that is not itself a trusted proxy (entries further left
   * could have been written by the client). With no trusted proxies configured this equals
   * {@link #remoteAddress()}. Empty when unknown.
   *
   * <p>This is the address {@code ip-filter}, rate limits by IP and the access log agree on; a policy should
   * never parse {@code X-Forwarded-For} itself.
   */
  String clientAddress();

  /** The request body: streamed to the upstream unless a policy asks for it in full. */
  Body body();
}
