// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.headers;

import io.sluice.gateway.api.Exchange;
import io.sluice.gateway.api.Policy;
import io.vertx.core.Future;

/** Applies the request changes, proceeds, then applies the response changes. */
final class HeadersPolicy implements Policy {

  private final HeaderOperations request;
  private final HeaderOperations response;

  HeadersPolicy(HeaderOperations request, HeaderOperations response) {
    this.request = request;
    this.response = response;
  }

  @Override
  public Future<Void> apply(Exchange exchange, Chain chain) {
    if (!request.isEmpty()) {
      request.apply(exchange.request().headers(), exchange);
    }
    if (response.isEmpty()) {
      return chain.proceed();
    }
    return chain.proceed().onSuccess(v -> response.apply(exchange.response().headers(), exchange));
  }
}
