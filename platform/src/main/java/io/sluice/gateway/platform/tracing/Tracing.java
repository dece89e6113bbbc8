// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.tracing;

import io.sluice.gateway.platform.config.TracingConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's tracing, compiled from {@code tracing:} at start (restart-only): the sampler, the clock that
 * turns {@link System#nanoTime} into epoch nanoseconds, and the exporter when spans leave the gateway. Shared
 * by every event loop; {@link #start} is thread-safe and never blocks.
 *
 * <p>Off ({@code enabled: false}) the gateway creates no instance: the proxy's field stays null and a request
 * costs one null check.
 */
public final class Tracing implements AutoCloseable {

  /** The W3C Trace Context Level 2 response header. */
  static final CharSequence TRACERESPONSE = HttpHeaders.createOptimized("traceresponse");

  private final Sampler sampler;
  private final boolean traceResponse;
  private final @Nullable OtlpExporter exporter;
  private final long epochNanosAtStart;
  private final long nanoTimeAtStart;

  private Tracing(TracingConfig config, @Nullable OtlpExporter exporter) {
    this.sampler = new Sampler(config.sampleRatio(), config.parentBased());
    this.traceResponse = config.traceResponse();
    this.exporter = exporter;
    this.epochNanosAtStart = System.currentTimeMillis() * 1_000_000;
    this.nanoTimeAtStart = System.nanoTime();
  }

  /**
   * The gateway's tracing, or null when {@code config} has it off.
   *
   * @param version the gateway's version, the exported instrumentation scope's
   */
  public static @Nullable Tracing of(TracingConfig config, String version) {
    return of(config, version, SpanExports.NONE);
  }

  /**
   * The gateway's tracing, or null when {@code config} has it off; the exporter reports its spans' fate to
   * {@code exports} (the metrics' counters).
   */
  public static @Nullable Tracing of(TracingConfig config, String version, SpanExports exports) {
    if (!config.enabled()) {
      return null;
    }
    return new Tracing(config, config.exports() ? new OtlpExporter(config, version, exports) : null);
  }

  /**
   * Starts an exchange's trace: continues the client's {@code traceparent} when it is valid, else starts a new
   * trace; decides sampling. {@code startNanos} is the exchange's {@link System#nanoTime} at its head.
   */
  public ExchangeSpan start(@Nullable String traceparent, @Nullable String tracestate, long startNanos) {
    TraceParent parent = TraceParent.parse(traceparent);
    long hi;
    long lo;
    if (parent != null) {
      hi = parent.traceHi;
      lo = parent.traceLo;
    } else {
      hi = TraceIds.random();
      lo = TraceIds.random();
    }
    boolean sampled = sampler.sample(parent, lo);
    OtlpExporter out = sampled ? exporter : null;
    return new ExchangeSpan(this, out, hi, lo, parent == null ? 0 : parent.parentId,
        parent == null ? null : tracestate, sampled, startNanos);
  }

  /**
   * With {@code tracing.traceResponse}, has {@code response} carry {@code span}'s {@code traceresponse} (set
   * just before its head is written, so whatever answers — the upstream, a policy, a problem — gets it, and an
   * upstream's own {@code traceresponse} is replaced: the client's callee is the gateway). Without it, nothing.
   */
  public void respond(ExchangeSpan span, HttpServerResponse response) {
    if (traceResponse) {
      response.headersEndHandler(v -> response.headers().set(TRACERESPONSE, span.traceresponse()));
    }
  }

  /** {@code nanoTime} as nanoseconds since the epoch (the OTLP timestamps). */
  long epochNanos(long nanoTime) {
    return epochNanosAtStart + (nanoTime - nanoTimeAtStart);
  }

  /** Exports what is queued and stops the exporter. Blocking: not on an event loop. */
  @Override
  public void close() {
    if (exporter != null) {
      exporter.close();
    }
  }
}
