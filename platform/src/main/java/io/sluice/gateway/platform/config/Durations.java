// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import io.sluice.gateway.api.config.ConfigException;
import java.time.Duration;

/** Validation of durations in config records. */
final class Durations {

  private Durations() {}

  /** The longest duration a timer takes: Vert.x's timers and Netty's idle timeouts count milliseconds in an int. */
  static final Duration MAX = Duration.ofMillis(Integer.MAX_VALUE);

  /**
   * A duration between 1 ms and {@link #MAX}: what every timer can hold. A positive value under a millisecond
   * ({@code PT0.0005S}) would be 0 ms there (no idle timeout, no head timer, a periodic timer Vert.x refuses
   * once the configuration was already being applied), one above it would wrap to a negative number.
   */
  static void requirePositive(String field, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new ConfigException(field, "must be > 0");
    }
    if (value.compareTo(Duration.ofMillis(1)) < 0) {
      throw new ConfigException(field, "must be at least 1ms, was " + value);
    }
    if (value.compareTo(MAX) > 0) {
      throw new ConfigException(field, "must be at most " + MAX.toDays() + "d, was " + value);
    }
  }
}
