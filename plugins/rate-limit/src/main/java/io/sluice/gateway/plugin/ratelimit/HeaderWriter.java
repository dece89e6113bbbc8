// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.ratelimit;

import io.sluice.gateway.api.Exchange;
import io.vertx.core.Completable;
import io.vertx.core.MultiMap;

/**
 * Writes an admitted request's {@code RateLimit-*} headers on the upstream's response once it answered. It is
 * the future's listener itself ({@link io.vertx.core.Future#onComplete(Completable)} adds it as is), holding
 * the three values the decision reported, so an admitted request allocates this one small object and, for
 * a remaining count past {@link HeaderText#CACHED}, its string.
 */
final class HeaderWriter implements Completable<Void> {

  private final Exchange exchange;
  private final Limit limit;
  private final long remaining;
  private final long resetSeconds;

  HeaderWriter(Exchange exchange, Limit limit, long remaining, long resetSeconds) {
    this.exchange = exchange;
    this.limit = limit;
    this.remaining = remaining;
    this.resetSeconds = resetSeconds;
  }

  @Override
  public void complete(Void result, Throwable failure) {
    if (failure == null) {
      write(exchange.response().headers(), limit, remaining, resetSeconds);
    }
  }

  static void write(MultiMap headers, Limit limit, long remaining, long resetSeconds) {
    headers.set(RateLimitPolicy.LIMIT_HEADER, limit.limitHeader);
    headers.set(RateLimitPolicy.REMAINING_HEADER, HeaderText.of(Math.max(0, remaining)));
    headers.set(RateLimitPolicy.RESET_HEADER, limit.resetText(resetSeconds));
  }
}
