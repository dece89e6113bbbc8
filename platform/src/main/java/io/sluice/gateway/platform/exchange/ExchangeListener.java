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

  /** One listener that tells each of {@code listeners} in order (none: it does nothing). */
  static ExchangeListener of(List<ExchangeListener> listeners) {
    List<ExchangeListener> all = List.copyOf(listeners);
    if (all.size() == 1) {
      return all.get(0);
    }
    return exchange -> {
      for (ExchangeListener l : all) {
        l.finished(exchange);
      }
    };
  }
}
