// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import io.sluice.gateway.api.config.ConfigException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * W3C Trace Context propagation and the OTLP export of spans (docs/observability.md#tracing). Off by default;
 * read at start only.
 *
 * @param enabled take or create {@code traceparent}, pass it upstream, put the trace id in the access log
 * @param endpoint the OTLP/HTTP traces URL ({@code http://collector:4318/v1/traces}); without it nothing is
 *     exported (propagation and trace ids in the log only)
 * @param sampleRatio share of new traces (no valid {@code traceparent} from the client) that are recorded, 0..1
 * @param parentBased follow the client's sampled flag when it sent a valid {@code traceparent} (default true)
 * @param serviceName {@code service.name} of the exported resource
 * @param maxQueueSize finished exchanges waiting for export; past it spans are dropped and counted
 * @param maxBatchSize spans of at most this many exchanges per export request
 * @param exportInterval how long a partial batch waits before it is sent
 * @param exportTimeout the time limit of one export request
 * @param headers extra request headers of the export (a collector's API key); never logged
 * @param traceResponse send the client a W3C Level 2 {@code traceresponse} header (trace id, the gateway's
 *     server span, the sampling decision), for sampled and unsampled exchanges alike; off by default
 */
public record TracingConfig(
    Boolean enabled,
    @Nullable String endpoint,
    Double sampleRatio,
    Boolean parentBased,
    String serviceName,
    Integer maxQueueSize,
    Integer maxBatchSize,
    Duration exportInterval,
    Duration exportTimeout,
    Map<String, String> headers,
    Boolean traceResponse) {

  public TracingConfig {
    enabled = enabled != null ? enabled : false;
    sampleRatio = sampleRatio != null ? sampleRatio : 1.0;
    parentBased = parentBased != null ? parentBased : true;
    serviceName = serviceName != null ? serviceName : "sluice";
    maxQueueSize = maxQueueSize != null ? maxQueueSize : 2048;
    maxBatchSize = maxBatchSize != null ? maxBatchSize : 512;
    exportInterval = exportInterval != null ? exportInterval : Duration.ofSeconds(1);
    exportTimeout = exportTimeout != null ? exportTimeout : Duration.ofSeconds(10);
    headers = headers != null ? Map.copyOf(headers) : Map.of();
    traceResponse = traceResponse != null ? traceResponse : false;
    if (endpoint != null) {
      URI uri;
      try {
        uri = URI.create(endpoint);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("endpoint", "is not a URL");
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
        throw new ConfigException("endpoint", "must be an http:// or https:// URL with a host");
      }
    }
    if (sampleRatio.isNaN() || sampleRatio < 0 || sampleRatio > 1) {
      throw new ConfigException("sampleRatio", "must be between 0 and 1");
    }
    if (serviceName.isBlank()) {
      throw new ConfigException("serviceName", "must not be blank");
    }
    if (maxQueueSize < 1) {
      throw new ConfigException("maxQueueSize", "must be > 0");
    }
    if (maxBatchSize < 1 || maxBatchSize > maxQueueSize) {
      throw new ConfigException("maxBatchSize", "must be between 1 and maxQueueSize (" + maxQueueSize + ")");
    }
    if (exportInterval.isNegative() || exportInterval.isZero()) {
      throw new ConfigException("exportInterval", "must be > 0");
    }
    if (exportTimeout.isNegative() || exportTimeout.isZero()) {
      throw new ConfigException("exportTimeout", "must be > 0");
    }
    for (String name : headers.keySet()) {
      if (name.isBlank() || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ':')) {
        throw new ConfigException("headers", "'" + name + "' is not a header name");
      }
    }
  }

  public static TracingConfig defaults() {
    return new TracingConfig(null, null, null, null, null, null, null, null, null, null, null);
  }

  /** Whether spans leave the gateway (tracing on, with an endpoint). */
  public boolean exports() {
    return enabled && endpoint != null;
  }

  /** Headers' values are secrets (API keys): the record's text shows their names only. */
  @Override
  public String toString() {
    return "TracingConfig[enabled=" + enabled + ", endpoint=" + endpoint + ", sampleRatio=" + sampleRatio
        + ", parentBased=" + parentBased + ", serviceName=" + serviceName + ", maxQueueSize=" + maxQueueSize
        + ", maxBatchSize=" + maxBatchSize + ", exportInterval=" + exportInterval + ", exportTimeout="
        + exportTimeout + ", headers=" + headers.keySet() + ", traceResponse=" + traceResponse + "]";
  }
}
