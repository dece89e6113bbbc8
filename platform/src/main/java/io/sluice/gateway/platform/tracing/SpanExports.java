// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.tracing;

/**
 * Where the OTLP exporter reports what became of the spans it was given: exported, or dropped because its
 * queue was full or an export failed (the metrics count them: {@code sluice_tracing_spans_*_total}). Counted
 * in spans: an exchange's server span, one per upstream attempt and one per policy.
 *
 * <p>{@link #droppedQueueFull} runs on the event loop that ended the exchange and must be as cheap as an
 * atomic add; the other two run on the exporter's thread, once per batch.
 */
public interface SpanExports {

  /** Reports nothing (metrics off, or the tests that do not count). */
  SpanExports NONE = new SpanExports() {
    @Override
    public void exported(int spans) {}

    @Override
    public void droppedQueueFull(int spans) {}

    @Override
    public void droppedExportFailed(int spans) {}
  };

  /** {@code spans} reached the collector (it answered 2xx). */
  void exported(int spans);

  /** {@code spans} of one exchange were dropped: the export queue was full. */
  void droppedQueueFull(int spans);

  /** {@code spans} were dropped: the collector refused them, could not be reached or did not answer in time. */
  void droppedExportFailed(int spans);
}
