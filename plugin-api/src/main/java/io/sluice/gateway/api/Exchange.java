// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import org.jspecify.annotations.Nullable;

/**
 * One request/response exchange as policies see it. Confined to its event loop: use it only from the thread
 * that called {@link Policy#apply} (and the callbacks of futures composed there).
 */
public interface Exchange {

  /** The request id: the client's {@code X-Request-Id} when well-formed, otherwise generated. Put it in log lines. */
  String id();

  /** The id of the matched route. */
  String routeId();

  /** The client's request, on its way to the upstream; headers and path may be changed before proceeding. */
  Request request();

  /**
   * The response on its way to the client. After {@link Policy.Chain#proceed()} completes it holds the
   * upstream's status and headers, which may be changed; a policy that answers itself sets it instead of
   * proceeding.
   */
  Response response();

  /** The authenticated caller, or null before (or without) authentication. */
  @Nullable Consumer consumer();

  /** Sets the authenticated caller (authentication policies do this). */
  void consumer(Consumer consumer);

  /** A value another policy of this exchange stored under {@code key}, or null. */
  <T> @Nullable T get(AttributeKey<T> key);

  /** Stores a value for later policies of this exchange (and JS policies) to read. */
  <T> void put(AttributeKey<T> key, T value);

  /**
   * Refuses the request: the remaining policies and the upstream are skipped and the gateway answers with the
   * rejection rendered as problem+json. Return the result from {@link Policy#apply}:
   * {@code return exchange.reject(Rejection.of(401, "API_KEY_MISSING"));}
   *
   * @return an already completed future
   */
  Future<Void> reject(Rejection rejection);

  /**
   * Whether a policy of this exchange has rejected it. After {@link Policy.Chain#proceed()} completes, true
   * means there is no upstream response: the gateway renders the rejection, so response-path code (header
   * rewrites, a script's {@code onResponse}) has nothing to act on and should be skipped.
   */
  boolean rejected();

  /**
   * Runs {@code handler} after the last byte of the response was written, or the client went away (Kong's
   * log phase): usage records, metrics. Must not throw and must not block.
   */
  void onEnd(Handler<Exchange> handler);
}
