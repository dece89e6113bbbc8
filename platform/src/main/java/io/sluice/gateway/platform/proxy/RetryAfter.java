// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.proxy;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/** Reads a {@code Retry-After} header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. */
final class RetryAfter {

  private RetryAfter() {}

  /** The delay in seconds, or 0 when the header is absent, unreadable or in the past. */
  static long seconds(@Nullable String value) {
    if (value == null || value.isEmpty()) {
      return 0;
    }
    String v = value.trim();
    if (!v.isEmpty() && Character.isDigit(v.charAt(0))) {
      long s = 0;
      for (int i = 0; i < v.length(); i++) {
        char c = v.charAt(i);
        if (c < '0' || c > '9' || s > 1_000_000) {
          return 0;
        }
        s = s * 10 + (c - '0');
      }
      return s;
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      long s = at.getEpochSecond() - Instant.now().getEpochSecond();
      return Math.max(0, s);
    } catch (DateTimeParseException e) {
      return 0;
    }
  }
}
