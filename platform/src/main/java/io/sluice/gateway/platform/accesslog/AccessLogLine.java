// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.accesslog;

import io.sluice.gateway.platform.exchange.FinishedExchange;
import io.sluice.gateway.platform.http.JsonText;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** The access log's JSON line for one finished exchange (the fields are listed in docs/configuration.md). */
final class AccessLogLine {

  private AccessLogLine() {}

  /** Appends the line, without its newline. */
  static void append(StringBuilder sb, FinishedExchange e) {
    sb.append("{\"time\":\"").append(Instant.ofEpochMilli(e.endEpochMillis())).append("\",\"requestId\":");
    JsonText.quote(sb, e.requestId());
    sb.append(",\"route\":");
    JsonText.quote(sb, e.route());
    sb.append(",\"method\":");
    JsonText.quote(sb, e.method());
    sb.append(",\"path\":");
    JsonText.quote(sb, e.path());
    sb.append(",\"status\":").append(e.status());
    if (e.error() != null) {
      sb.append(",\"error\":");
      JsonText.quote(sb, e.error());
    }
    sb.append(",\"bytesIn\":").append(e.bytesIn());
    sb.append(",\"bytesOut\":").append(e.bytesOut());
    sb.append(",\"upstream\":");
    JsonText.quote(sb, e.upstream());
    if (e.retries() > 0) {
      sb.append(",\"retries\":").append(e.retries());
    }
    sb.append(",\"latencyMs\":");
    millis(sb, e.latencyNanos());
    sb.append(",\"upstreamLatencyMs\":");
    if (e.upstreamLatencyNanos() >= 0) {
      millis(sb, e.upstreamLatencyNanos());
    } else {
      sb.append("null");
    }
    sb.append(",\"client\":");
    JsonText.quote(sb, e.client());
    if (e.userAgent() != null) {
      sb.append(",\"userAgent\":");
      JsonText.quote(sb, e.userAgent());
    }
    if (e.aborted()) {
      sb.append(",\"aborted\":true");
    }
    if (e.consumer() != null) {
      sb.append(",\"consumer\":");
      JsonText.quote(sb, e.consumer());
    }
    if (e.traceId() != null) {
      sb.append(",\"traceId\":");
      JsonText.quote(sb, e.traceId());
    }
    String cache = CacheOutcome.of(e.cacheStatus());
    if (cache != null) {
      sb.append(",\"cache\":");
      JsonText.quote(sb, cache);
    }
    if (RATE_LIMITED.equals(e.error())) {
      sb.append(",\"rateLimited\":true");
    }
    long remaining = remaining(e.rateLimitRemaining());
    if (remaining >= 0) {
      sb.append(",\"rateLimitRemaining\":").append(remaining);
    }
    sb.append('}');
  }

  /** The rate-limit policy's rejection key (docs/plugins: rate-limit). */
  static final String RATE_LIMITED = "RATE_LIMIT_EXCEEDED";

  /** {@code RateLimit-Remaining} as a number; -1 when absent or not a number (a header is never echoed raw). */
  static long remaining(@Nullable String header) {
    if (header == null) {
      return -1;
    }
    String v = header.trim();
    if (v.isEmpty() || v.length() > 18) {
      return -1;
    }
    long n = 0;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  /** Nanoseconds as milliseconds with three decimals. */
  private static void millis(StringBuilder sb, long nanos) {
    long micros = nanos / 1000;
    long frac = micros % 1000;
    sb.append(micros / 1000).append(frac < 10 ? ".00" : frac < 100 ? ".0" : ".").append(frac);
  }
}
