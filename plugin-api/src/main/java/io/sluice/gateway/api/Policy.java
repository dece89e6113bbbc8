// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api;

import io.vertx.core.Future;
import java.util.List;

/**
 * One step of a route's policy chain: authentication, a rate limit, a header rewrite, a cache. Created once
 * per route by a {@link PolicyFactory} and shared by every exchange on that route, so it must be immutable or
 * thread-safe. Called on the exchange's event loop: never block.
 *
 * <p>A policy does one of three things:
 *
 * <ul>
 *   <li>continue with {@link Chain#proceed()}, which runs the rest of the chain and the upstream call, and
 *       optionally act on the response by composing on the returned future (the response path runs in
 *       reverse order);
 *   <li>refuse with {@link Exchange#reject(Rejection)}, so the rest of the chain and the upstream are skipped;
 *   <li>answer itself (a cache hit, a CORS preflight) by setting {@link Exchange#response()} and completing
 *       without proceeding.
 * </ul>
 *
 * <pre>{@code
 * public Future<Void> apply(Exchange exchange, Policy.Chain chain) {
 *   long start = System.nanoTime();
 *   return chain.proceed().onSuccess(v ->
 *       exchange.response().headers().set("X-Response-Time", (System.nanoTime() - start) / 1000 + "us"));
 * }
 * }</pre>
 *
 * <p>A failed future or a thrown exception means a bug or an outage, not a refusal: the gateway answers
 * 500 {@code POLICY_ERROR}, logs it once with the route, the policy type and the request id, and goes on
 * serving everything else. So does a policy that does not complete within the route's policy timeout, or
 * that calls {@code proceed()} twice.
 */
@FunctionalInterface
public interface Policy {

  /**
   * Handles one exchange.
   *
   * @return completes when this policy is done with the exchange (after its response work, if any)
   */
  Future<Void> apply(Exchange exchange, Chain chain);

  /**
   * The request headers this policy sets for the upstream and a client must never supply (a token's claims
   * as {@code X-User-Email}, say). The policy removes the client's copies itself when it runs; the gateway
   * also removes them before a group of alternatives runs ({@code authentication: {mode: any}}), where
   * another alternative may win and this policy never run. Read once, when the route's chain is built.
   *
   * @return header names, none by default
   */
  default List<String> upstreamHeaders() {
    return List.of();
  }

  /** The rest of the chain, as seen by one policy. */
  interface Chain {

    /**
     * Runs the remaining policies and then the upstream call. The future completes once
     * {@link Exchange#response()} holds the response head (status and headers; the body may still be
     * streaming), or once a later policy rejected or answered. Call it at most once; a second call fails
     * with a message naming the policy and route.
     */
    Future<Void> proceed();
  }
}
