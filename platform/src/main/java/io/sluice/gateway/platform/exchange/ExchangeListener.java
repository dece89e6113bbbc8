// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.exchange;

import java.util.List;

/**
 * Told about every finished exchange. Registered at start, called on the exchange's event loop: it must not
 * block, and should do little more than hand the record on (the access log queues it for its writer thread).
 */
@FunctionalInterface
public interface ExchangeListener {

  void finished(FinishedExchange exchange);

  /**
   * Whether this listener reads {@link FinishedExchange#cacheStatus} and {@link
   * FinishedExchange#rateLimitRemaining}: response headers the gateway looks up only when some listener
   * reads them (the access log does); for the others both are null. False unless overridden.
   */
  default boolean readsResponseHeaders() {
    return false;
  }

  /** One listener that tells each of {@code listeners} in order (none: it does nothing). */
  static ExchangeListener of(List<ExchangeListener> listeners) {
    List<ExchangeListener> all = List.copyOf(listeners);
    if (all.size() == 1) {
      return all.get(0);
    }
    boolean reads = all.stream().anyMatch(ExchangeListener::readsResponseHeaders);
    ExchangeListener[] each = all.toArray(ExchangeListener[]::new); // an array: no iterator per exchange
    return new ExchangeListener() {
      @Override
      public void finished(FinishedExchange exchange) {
        for (ExchangeListener l : each) {
          l.finished(exchange);
        }
      }

      @Override
      public boolean readsResponseHeaders() {
        return reads;
      }
    };
  }
}
