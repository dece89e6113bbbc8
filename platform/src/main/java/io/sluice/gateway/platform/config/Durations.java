// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import io.sluice.gateway.api.config.ConfigException;
import java.time.Duration;

/** Validation of durations in config records. */
final class Durations {

  private Durations() {}

  static void requirePositive(String field, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new ConfigException(field, "must be > 0");
    }
  }
}
