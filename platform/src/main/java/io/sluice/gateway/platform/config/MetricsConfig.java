// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

/**
 * The gateway's metrics, scraped at {@code GET /metrics} on the admin listener (docs/observability.md). On by
 * default: counting an exchange costs a few atomic updates. Read at start only.
 *
 * @param enabled false leaves the meters out entirely (and {@code /metrics} answers 404)
 */
public record MetricsConfig(Boolean enabled) {

  public MetricsConfig {
    enabled = enabled != null ? enabled : true;
  }

  public static MetricsConfig defaults() {
    return new MetricsConfig(null);
  }
}
