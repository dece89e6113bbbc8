// SPDX-License-Identifier: Apache-2.0
/**
 * What happens after an exchange (Kong's log phase, Envoy's access loggers): one {@link
 * io.sluice.gateway.platform.exchange.FinishedExchange} record per exchange, built once by the proxy and handed
 * to the {@link io.sluice.gateway.platform.exchange.ExchangeListener}s registered at start — the access log
 * today, metrics and analytics next. None of it is interleaved with proxying.
 */
@NullMarked
package io.sluice.gateway.platform.exchange;

import org.jspecify.annotations.NullMarked;
