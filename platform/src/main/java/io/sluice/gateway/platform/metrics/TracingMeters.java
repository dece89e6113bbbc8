// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.gateway.platform.tracing.SpanExports;

/**
 * The span exporter's counters, made once when tracing starts (never looked up per span):
 * {@code sluice_tracing_spans_exported_total} and {@code sluice_tracing_spans_dropped_total{reason}} with
 * {@code reason} {@code queue_full} or {@code export_failed}.
 */
final class TracingMeters implements SpanExports {

  private final Counter exported;
  private final Counter queueFull;
  private final Counter exportFailed;

  TracingMeters(MeterRegistry registry) {
    exported = Counter.builder("sluice.tracing.spans.exported")
        .description("Spans the OTLP collector accepted").register(registry);
    queueFull = dropped(registry, "queue_full");
    exportFailed = dropped(registry, "export_failed");
  }

  private static Counter dropped(MeterRegistry registry, String reason) {
    return Counter.builder("sluice.tracing.spans.dropped")
        .description("Spans dropped: the export queue was full, or an export failed (refused, unreachable, timed out)")
        .tag("reason", reason).register(registry);
  }

  @Override
  public void exported(int spans) {
    exported.increment(spans);
  }

  @Override
  public void droppedQueueFull(int spans) {
    queueFull.increment(spans);
  }

  @Override
  public void droppedExportFailed(int spans) {
    exportFailed.increment(spans);
  }
}
