// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.tracing;

import io.sluice.gateway.platform.exchange.FinishedExchange;
import io.sluice.gateway.platform.policy.ChainSpans;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * One exchange's trace: its trace id, the gateway's server span, and — when the trace is recorded (sampled,
 * with an exporter) — the timings of its upstream attempts (client spans) and of its policies (internal spans).
 * Confined to the exchange's event loop until {@link #end}, which hands it to the exporter's thread (the queue
 * is the happens-before edge); never touched on the event loop after that.
 *
 * <p>An exchange that is not recorded still propagates: the upstream gets a {@code traceparent} with the
 * gateway's span id as parent and the sampled flag cleared, and the access log its trace id. Its recording
 * hooks return at once.
 */
public final class ExchangeSpan implements ChainSpans {

  private final Tracing tracing;
  private final @Nullable OtlpExporter exporter;
  final long traceHi;
  final long traceLo;
  final long spanId;
  /** The client's span (from its {@code traceparent}), 0 when this exchange started the trace. */
  final long parentId;
  final @Nullable String traceState;
  private final boolean sampled;
  final long startNanos;
  long endNanos;
  private @Nullable String traceId;

  private static final long[] NO_LONGS = {};
  private static final int[] NO_INTS = {};
  private static final String[] NO_STRINGS = {};
  private static final boolean[] NO_BOOLEANS = {};

  // Grown on first use only: an exchange that is not recorded allocates none of these.
  int attempts;
  long[] attemptSpan = NO_LONGS;
  long[] attemptStart = NO_LONGS;
  long[] attemptEnd = NO_LONGS;
  int[] attemptStatus = NO_INTS;
  String[] attemptTarget = NO_STRINGS;
  @Nullable String[] attemptError = NO_STRINGS;
  /** The method of the upstream request (the attempts'). */
  @Nullable String upstreamMethod;

  int policies;
  long[] policyStart = NO_LONGS;
  long[] policyEnd = NO_LONGS;
  String[] policyType = NO_STRINGS;
  boolean[] policyFailed = NO_BOOLEANS;

  @Nullable FinishedExchange finished;

  ExchangeSpan(Tracing tracing, @Nullable OtlpExporter exporter, long traceHi, long traceLo, long parentId,
      @Nullable String traceState, boolean sampled, long startNanos) {
    this.tracing = tracing;
    this.exporter = exporter;
    this.traceHi = traceHi;
    this.traceLo = traceLo;
    this.parentId = parentId;
    this.traceState = traceState;
    this.sampled = sampled;
    this.startNanos = startNanos;
    this.spanId = TraceIds.random();
  }

  /** The trace id: 32 lowercase hex digits. */
  public String traceId() {
    String id = traceId;
    if (id == null) {
      id = TraceIds.hex(traceHi, traceLo);
      traceId = id;
    }
    return id;
  }

  /** Whether this exchange's spans are exported (sampled, and an endpoint is configured). */
  public boolean recording() {
    return exporter != null;
  }

  /** The client's {@code tracestate} to pass on: null when the gateway started the trace (it is dropped). */
  public @Nullable String traceState() {
    return traceState;
  }

  /**
   * The {@code traceparent} for the current upstream attempt: this trace, the attempt's client span as parent
   * when recording (else the gateway's server span), the gateway's sampling decision as the flag.
   */
  public String upstreamTraceparent() {
    return header(recording() && attempts > 0 ? attemptSpan[attempts - 1] : spanId);
  }

  /**
   * The {@code traceresponse} for the client (W3C Trace Context Level 2): this trace, the gateway's server span
   * as the child id, the gateway's sampling decision as the sampled flag ({@code -00} when it records nothing).
   */
  public String traceresponse() {
    return header(spanId);
  }

  /** {@code 00-<trace id>-<span>-<flags>}: the same 55 characters for both directions. */
  private String header(long span) {
    char[] out = new char[TraceParent.LENGTH];
    out[0] = '0';
    out[1] = '0';
    out[2] = '-';
    TraceIds.hex(traceHi, out, 3);
    TraceIds.hex(traceLo, out, 19);
    out[35] = '-';
    TraceIds.hex(span, out, 36);
    out[52] = '-';
    out[53] = '0';
    out[54] = sampled ? '1' : '0';
    return new String(out);
  }

  /** An upstream attempt to {@code target} ({@code host:port}) starts now. */
  public void attemptStarted(String method, String target) {
    if (!recording()) {
      return;
    }
    int i = attempts;
    if (i == attemptSpan.length) {
      int n = Math.max(2, i * 2);
      attemptSpan = Arrays.copyOf(attemptSpan, n);
      attemptStart = Arrays.copyOf(attemptStart, n);
      attemptEnd = Arrays.copyOf(attemptEnd, n);
      attemptStatus = Arrays.copyOf(attemptStatus, n);
      attemptTarget = Arrays.copyOf(attemptTarget, n);
      attemptError = Arrays.copyOf(attemptError, n);
    }
    upstreamMethod = method;
    attemptSpan[i] = TraceIds.random();
    attemptStart[i] = System.nanoTime();
    attemptTarget[i] = target;
    attempts = i + 1;
  }

  /**
   * The current attempt ended: with the upstream's response head ({@code status}), or without one
   * ({@code status} 0 and the failure's key).
   */
  public void attemptEnded(int status, @Nullable String error) {
    if (!recording() || attempts == 0) {
      return;
    }
    int i = attempts - 1;
    if (attemptEnd[i] != 0) {
      return;
    }
    attemptEnd[i] = System.nanoTime();
    attemptStatus[i] = status;
    attemptError[i] = error;
  }

  @Override
  public void policyEntered(int index, String type) {
    if (index >= policyStart.length) {
      int n = Math.max(index + 1, policyStart.length * 2);
      policyStart = Arrays.copyOf(policyStart, n);
      policyEnd = Arrays.copyOf(policyEnd, n);
      policyType = Arrays.copyOf(policyType, n);
      policyFailed = Arrays.copyOf(policyFailed, n);
    }
    policyStart[index] = System.nanoTime();
    policyType[index] = type;
    policies = Math.max(policies, index + 1);
  }

  @Override
  public void policyLeft(int index, boolean failed) {
    if (index < policies && policyEnd[index] == 0) {
      policyEnd[index] = System.nanoTime();
      policyFailed[index] = failed;
    }
  }

  /** The exchange is over: a recorded span goes to the exporter's queue (never blocks; dropped when full). */
  public void end(FinishedExchange exchange) {
    OtlpExporter out = exporter;
    if (out == null || finished != null) {
      return;
    }
    endNanos = System.nanoTime();
    finished = exchange;
    out.offer(this);
  }

  /** The spans this exchange exports: its server span, one per upstream attempt, one per policy that ran. */
  int spanCount() {
    int n = 1 + attempts;
    for (int i = 0; i < policies; i++) {
      if (policyStart[i] != 0) {
        n++;
      }
    }
    return n;
  }

  long epochNanos(long nanoTime) {
    return tracing.epochNanos(nanoTime);
  }
}
