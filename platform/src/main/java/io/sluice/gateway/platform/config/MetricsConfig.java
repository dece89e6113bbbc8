// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import io.sluice.gateway.api.config.ConfigException;
import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's metrics, scraped at {@code GET /metrics} on the admin listener (docs/observability.md). On by
 * default: counting an exchange costs a few atomic updates. Read at start only.
 *
 * @param enabled false leaves the meters out entirely (and {@code /metrics} answers 404)
 * @param consumers how many consumers get a label of their own
 * @param otlp an optional OTLP push of every meter, off when absent
 */
public record MetricsConfig(Boolean enabled, Consumers consumers, @Nullable Otlp otlp) {

  public MetricsConfig {
    enabled = enabled != null ? enabled : true;
    consumers = consumers != null ? consumers : new Consumers(null);
  }

  public static MetricsConfig defaults() {
    return new MetricsConfig(null, null, null);
  }

  /**
   * Requests by consumer: the first {@code maxLabels} consumers seen get a label of their own, later ones count
   * under {@code other}, so a gateway with millions of API keys still exports a bounded number of series.
   *
   * @param maxLabels 0..10000, default 100 (0: every consumer counts as {@code other})
   */
  public record Consumers(Integer maxLabels) {
    public Consumers {
      maxLabels = maxLabels != null ? maxLabels : 100;
      if (maxLabels < 0 || maxLabels > 10_000) {
        throw new ConfigException("maxLabels", "must be 0..10000");
      }
    }
  }

  /**
   * Pushes every meter to an OpenTelemetry collector (OTLP over HTTP, protobuf) every {@code step}, next to the
   * Prometheus scrape.
   *
   * @param endpoint the collector's metrics URL, e.g. {@code http://otel-collector:4318/v1/metrics}
   * @param step how often to push, default 1m (at least 1s)
   */
  public record Otlp(String endpoint, Duration step) {
    public Otlp {
      if (endpoint == null || endpoint.isBlank()) {
        throw new ConfigException("endpoint", "is required (e.g. http://collector:4318/v1/metrics)");
      }
      URI uri;
      try {
        uri = new URI(endpoint);
      } catch (java.net.URISyntaxException e) {
        throw new ConfigException("endpoint", "is not a URL: " + e.getReason());
      }
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new ConfigException("endpoint", "must be an http:// or https:// URL with a host");
      }
      step = step != null ? step : Duration.ofMinutes(1);
      if (step.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new ConfigException("step", "must be at least 1s");
      }
    }
  }
}
