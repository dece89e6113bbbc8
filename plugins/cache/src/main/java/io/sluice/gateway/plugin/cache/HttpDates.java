// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.cache;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/** HTTP-dates (RFC 9110 §5.6.7): IMF-fixdate, which is what {@link DateTimeFormatter#RFC_1123_DATE_TIME} reads. */
final class HttpDates {

  /** What an absent or invalid date parses to. */
  static final long INVALID = Long.MIN_VALUE;

  private HttpDates() {}

  /** Epoch milliseconds, or {@link #INVALID}. */
  static long parse(@Nullable String value) {
    if (value == null) {
      return INVALID;
    }
    try {
      return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      return INVALID;
    }
  }

  static String format(long epochMillis) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC));
  }
}
