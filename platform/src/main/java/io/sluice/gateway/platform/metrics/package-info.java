// SPDX-License-Identifier: Apache-2.0
/**
 * Metrics: {@link io.sluice.gateway.platform.metrics.GatewayMetrics} owns the Micrometer registry (scraped at
 * {@code GET /metrics} on the admin listener, Prometheus text or OpenMetrics) and the JVM meters;
 * {@link io.sluice.gateway.platform.metrics.ExchangeMeters} counts every finished exchange into meters made once
 * per route, method and status class ({@link io.sluice.gateway.platform.metrics.RouteMeters}), so the request
 * path never asks the registry for a meter.
 */
@NullMarked
package io.sluice.gateway.platform.metrics;

import org.jspecify.annotations.NullMarked;
