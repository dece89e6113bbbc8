// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.accesslog;

import io.sluice.gateway.platform.exchange.FinishedExchange;
import io.sluice.gateway.platform.http.JsonText;
import java.time.Instant;

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
    sb.append('}');
  }

  /** Nanoseconds as milliseconds with three decimals. */
  private static void millis(StringBuilder sb, long nanos) {
    long micros = nanos / 1000;
    long frac = micros % 1000;
    sb.append(micros / 1000).append(frac < 10 ? ".00" : frac < 100 ? ".0" : ".").append(frac);
  }
}
