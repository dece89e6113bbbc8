// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.tracing;

import io.sluice.gateway.platform.exchange.FinishedExchange;
import io.sluice.gateway.platform.http.JsonText;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An OTLP/HTTP JSON {@code ExportTraceServiceRequest} (opentelemetry-proto {@code trace/v1}, JSON mapping:
 * ids as lowercase hex, 64-bit integers as strings, enums as numbers) for a batch of finished exchanges. Built
 * on the exporter's thread, never on an event loop. Attribute names follow the OpenTelemetry HTTP semantic
 * conventions where one exists, {@code sluice.*} otherwise.
 */
final class OtlpJson {

  static final int KIND_INTERNAL = 1;
  static final int KIND_SERVER = 2;
  static final int KIND_CLIENT = 3;
  private static final int STATUS_UNSET = 0;
  private static final int STATUS_ERROR = 2;

  private OtlpJson() {}

  static void write(StringBuilder sb, String serviceName, String version, List<ExchangeSpan> batch) {
    sb.append("{\"resourceSpans\":[{\"resource\":{\"attributes\":[");
    attr(sb, true, "service.name", serviceName);
    attr(sb, false, "service.version", version);
    sb.append("]},\"scopeSpans\":[{\"scope\":{\"name\":\"io.sluice.gateway\",\"version\":");
    JsonText.quote(sb, version);
    sb.append("},\"spans\":[");
    boolean first = true;
    for (ExchangeSpan s : batch) {
      first = exchange(sb, s, first);
    }
    sb.append("]}]}]}");
  }

  private static boolean exchange(StringBuilder sb, ExchangeSpan s, boolean first) {
    FinishedExchange e = s.finished;
    if (e == null) {
      return first;
    }
    String trace = TraceIds.hex(s.traceHi, s.traceLo);
    String server = TraceIds.hex(s.spanId);
    // The server span.
    boolean failed = e.status() >= 500 || e.status() == 0;
    open(sb, first, trace, server, s.parentId == 0 ? null : TraceIds.hex(s.parentId), s.traceState,
        e.route() == null ? e.method() : e.method() + " " + e.route(), KIND_SERVER,
        s.epochNanos(s.startNanos), s.epochNanos(s.endNanos));
    attr(sb, true, "http.request.method", e.method());
    attr(sb, false, "url.path", e.path());
    attr(sb, false, "http.response.status_code", e.status());
    if (e.route() != null) {
      attr(sb, false, "sluice.route", e.route());
    }
    attr(sb, false, "sluice.request_id", e.requestId());
    if (e.client() != null) {
      attr(sb, false, "client.address", e.client());
    }
    if (e.userAgent() != null) {
      attr(sb, false, "user_agent.original", e.userAgent());
    }
    if (e.consumer() != null) {
      attr(sb, false, "sluice.consumer", e.consumer());
    }
    if (e.upstream() != null) {
      attr(sb, false, "sluice.upstream", e.upstream());
    }
    if (e.retries() > 0) {
      attr(sb, false, "sluice.retries", e.retries());
    }
    if (e.error() != null) {
      attr(sb, false, "error.type", e.error());
    }
    close(sb, failed, e.error());
    // A client span per upstream attempt.
    for (int i = 0; i < s.attempts; i++) {
      long end = s.attemptEnd[i] != 0 ? s.attemptEnd[i] : s.endNanos;
      String method = s.upstreamMethod == null ? e.method() : s.upstreamMethod;
      open(sb, false, trace, TraceIds.hex(s.attemptSpan[i]), server, s.traceState, method, KIND_CLIENT,
          s.epochNanos(s.attemptStart[i]), s.epochNanos(end));
      attr(sb, true, "http.request.method", method);
      String target = s.attemptTarget[i];
      int colon = target.lastIndexOf(':');
      attr(sb, false, "server.address", colon > 0 ? target.substring(0, colon) : target);
      if (colon > 0) {
        try {
          attr(sb, false, "server.port", Integer.parseInt(target.substring(colon + 1)));
        } catch (NumberFormatException ignored) {
          // an authority without a numeric port: the address says it all
        }
      }
      attr(sb, false, "sluice.upstream", target);
      attr(sb, false, "sluice.attempt", i + 1);
      String error = s.attemptError[i];
      if (s.attemptEnd[i] == 0 && error == null) {
        error = e.error() != null ? e.error() : "ABORTED"; // cut short with the exchange (a total timeout)
      }
      if (s.attemptStatus[i] > 0) {
        attr(sb, false, "http.response.status_code", s.attemptStatus[i]);
      }
      if (error != null) {
        attr(sb, false, "error.type", error);
      }
      close(sb, error != null || s.attemptStatus[i] >= 500, error);
    }
    // A span per policy: from its apply to its future's completion (so it includes what it waited for).
    for (int i = 0; i < s.policies; i++) {
      if (s.policyStart[i] == 0) {
        continue;
      }
      long end = s.policyEnd[i] != 0 ? s.policyEnd[i] : s.endNanos;
      open(sb, false, trace, TraceIds.hex(TraceIds.random()), server, s.traceState, "policy " + s.policyType[i],
          KIND_INTERNAL, s.epochNanos(s.policyStart[i]), s.epochNanos(end));
      attr(sb, true, "sluice.policy.type", s.policyType[i]);
      attr(sb, false, "sluice.policy.index", i);
      close(sb, s.policyFailed[i], s.policyFailed[i] ? "the policy failed" : null);
    }
    return false;
  }

  private static void open(StringBuilder sb, boolean first, String trace, String span, @Nullable String parent,
      @Nullable String state, String name, int kind, long start, long end) {
    if (!first) {
      sb.append(',');
    }
    sb.append("{\"traceId\":\"").append(trace).append("\",\"spanId\":\"").append(span).append('"');
    if (parent != null) {
      sb.append(",\"parentSpanId\":\"").append(parent).append('"');
    }
    if (state != null) {
      sb.append(",\"traceState\":");
      JsonText.quote(sb, state);
    }
    sb.append(",\"name\":");
    JsonText.quote(sb, name);
    sb.append(",\"kind\":").append(kind);
    sb.append(",\"startTimeUnixNano\":\"").append(start).append("\",\"endTimeUnixNano\":\"").append(end);
    sb.append("\",\"attributes\":[");
  }

  private static void close(StringBuilder sb, boolean error, @Nullable String message) {
    sb.append("],\"status\":{\"code\":").append(error ? STATUS_ERROR : STATUS_UNSET);
    if (error && message != null) {
      sb.append(",\"message\":");
      JsonText.quote(sb, message);
    }
    sb.append("}}");
  }

  private static void attr(StringBuilder sb, boolean first, String key, @Nullable String value) {
    if (!first) {
      sb.append(',');
    }
    sb.append("{\"key\":\"").append(key).append("\",\"value\":{\"stringValue\":");
    JsonText.quote(sb, value == null ? "" : value);
    sb.append("}}");
  }

  private static void attr(StringBuilder sb, boolean first, String key, long value) {
    if (!first) {
      sb.append(',');
    }
    sb.append("{\"key\":\"").append(key).append("\",\"value\":{\"intValue\":\"").append(value).append("\"}}");
  }
}
