// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;

/**
 * The upstream of the route a policy was created for, for requests the policy makes <em>outside</em> an exchange's
 * own upstream call: a cache's background revalidation, a warm-up. Such a request goes exactly where a proxied
 * request of the route would: the route's path mapping ({@code stripPrefix}, {@code rewrite}, the upstream's base
 * path), its balancer, health checks, outlier ejection, breakers and retry budget (each attempt is recorded as a
 * proxied one is), its timeouts ({@code connect}, {@code response}, {@code total}; {@code idle} while the body is
 * read), upstream TLS and {@code Host} rules, and the gateway's header rules (hop-by-hop headers dropped, the
 * client-address and forwarding headers the gateway's own, {@code X-Request-Id} a new id). A failed attempt is
 * retried on another target as the route's retry policy allows for a request without a body.
 *
 * <p>Get it from {@link PolicyContext#upstream()} in {@link PolicyFactory#create}. Requests have no body and the
 * response is read whole, up to a size the caller gives; nothing here is on any exchange's path, and a route
 * whose policies never call it pays nothing.
 *
 * <p><b>Threads.</b> Call it from an event loop (an exchange's, or a timer's); it never blocks, and the future
 * completes on the caller's context. <b>Reloads.</b> The request is made with the configuration the policy
 * belongs to: started under a configuration that a reload then replaces, it finishes on it (its upstream's targets
 * are the same ones the new configuration balances over when it keeps the upstream), and the plugin generation
 * stays loaded until the future completes.
 *
 * <p><b>Failures.</b> The future fails when no response head arrived: no healthy target ({@link
 * UpstreamUnavailableException} with key {@code NO_HEALTHY_UPSTREAM}), connection failures and timeouts after the
 * retries allowed ({@code UPSTREAM_UNAVAILABLE}, {@code UPSTREAM_TIMEOUT}), a body larger than {@code maxBodyBytes}
 * ({@code UPSTREAM_BODY_TOO_LARGE}), or a context that has no upstream ({@code UPSTREAM_UNSUPPORTED}). A 5xx the
 * retries could not avoid is a response, not a failure.
 *
 * <pre>{@code
 * public Policy create(WarmConfig config, PolicyContext context) {
 *   RouteUpstream upstream = context.upstream();
 *   return (exchange, chain) -> {
 *     MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("If-None-Match", "\"v7\"");
 *     upstream.send(exchange, HttpMethod.GET, exchange.request().path(), headers, 1 << 20)
 *         .onSuccess(r -> log.debug("revalidated: {}", r.status()));   // the exchange goes on meanwhile
 *     return chain.proceed();
 *   };
 * }
 * }</pre>
 */
public interface RouteUpstream {

  /** The upstream of a context that has none (a test's, a third party's): every request fails at once. */
  RouteUpstream UNSUPPORTED = (method, uri, headers, maxBodyBytes) -> Future.failedFuture(
      new UpstreamUnavailableException("UPSTREAM_UNSUPPORTED", "this policy context has no route upstream"));

  /**
   * Sends a request of the gateway's own (no client behind it: no {@code X-Forwarded-For}, no consumer headers).
   *
   * @param method the method; requests carry no body, so use one that needs none ({@code GET}, {@code HEAD})
   * @param uri the path and optional query as a client would request them from the gateway on this route, e.g.
   *     {@code /catalog/items?page=2}; the route maps the path to the upstream's as for a proxied request. A path
   *     the route's pattern does not match fails the future with {@code UPSTREAM_PATH_INVALID}
   * @param headers end-to-end request headers (copied; the caller may reuse the map); {@code Host} is used only
   *     when the route preserves the client's host
   * @param maxBodyBytes the largest response body read; a larger one fails the future
   */
  Future<UpstreamResponse> send(HttpMethod method, String uri, MultiMap headers, long maxBodyBytes);

  /**
   * Sends a request on behalf of {@code origin}'s client, as {@link #send(HttpMethod, String, MultiMap, long)}
   * does, with the forwarding headers ({@code X-Forwarded-*}, {@code Via}) and the consumer headers its proxied
   * request gets. Call it while {@code origin} is in progress, on its event loop: what it needs from the exchange
   * is read at once, and the request may then outlive the exchange. The default ignores {@code origin}.
   */
  default Future<UpstreamResponse> send(Exchange origin, HttpMethod method, String uri, MultiMap headers,
      long maxBodyBytes) {
    return send(method, uri, headers, maxBodyBytes);
  }
}
