// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.analytics;

import java.util.Locale;

/** The sizes of the time buckets (the query's {@code step}): a minute, an hour, a UTC day. */
enum Resolution {
  MINUTE(60_000L),
  HOUR(3_600_000L),
  DAY(86_400_000L);

  private final long millis;

  Resolution(long millis) {
    this.millis = millis;
  }

  long millis() {
    return millis;
  }

  /** The start of the bucket holding {@code epochMillis} (epoch days are UTC days). */
  long floor(long epochMillis) {
    return Math.floorDiv(epochMillis, millis) * millis;
  }

  /** The start of the first bucket at or after {@code epochMillis}. */
  long ceil(long epochMillis) {
    return -Math.floorDiv(-epochMillis, millis) * millis;
  }

  /** Its name in a query and in the response: {@code minute}, {@code hour}, {@code day}. */
  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
