// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.testkit;

import io.sluice.gateway.api.Exchange;
import io.sluice.gateway.api.Policy;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;

/**
 * The rest of a chain in a unit test: {@link #proceed()} counts the call and fills the exchange's response
 * with a canned upstream answer, as the gateway does when the upstream's head arrives.
 */
public final class TestChain implements Policy.Chain {

  private final Exchange exchange;
  private final int status;
  private final MultiMap headers;
  private int proceeded;

  private TestChain(Exchange exchange, int status, MultiMap headers) {
    this.exchange = exchange;
    this.status = status;
    this.headers = headers;
  }

  /** An upstream answering 200 with no headers. */
  public static TestChain upstreamOk(Exchange exchange) {
    return new TestChain(exchange, 200, MultiMap.caseInsensitiveMultiMap());
  }

  /** An upstream answering {@code status} with {@code headers}. */
  public static TestChain upstream(Exchange exchange, int status, MultiMap headers) {
    return new TestChain(exchange, status, headers);
  }

  @Override
  public Future<Void> proceed() {
    proceeded++;
    exchange.response().status(status);
    exchange.response().headers().addAll(headers);
    return Future.succeededFuture();
  }

  /** How often the policy proceeded: 0 when it rejected or answered, 1 when it let the request through. */
  public int proceeded() {
    return proceeded;
  }
}
