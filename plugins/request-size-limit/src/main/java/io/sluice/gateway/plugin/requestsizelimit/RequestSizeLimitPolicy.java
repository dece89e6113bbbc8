// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.requestsizelimit;

import io.sluice.gateway.api.Body;
import io.sluice.gateway.api.Exchange;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.Rejection;
import io.vertx.core.Future;

/**
 * A declared {@code Content-Length} above the limit is refused at once, without reading the body; a body of
 * unknown length is capped ({@link Body#limit}), so the gateway aborts it as soon as it passes the limit.
 */
final class RequestSizeLimitPolicy implements Policy {

  static final String KEY = "BODY_TOO_LARGE";

  private final long maxBytes;

  RequestSizeLimitPolicy(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public Future<Void> apply(Exchange exchange, Chain chain) {
    Body body = exchange.request().body();
    if (body.length() > maxBytes) {
      return exchange.reject(Rejection.of(413, KEY)
          .message("the request body is larger than " + maxBytes + " bytes"));
    }
    body.limit(maxBytes);
    return chain.proceed();
  }
}
