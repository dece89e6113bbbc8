// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import io.sluice.gateway.api.config.ConfigException;
import java.time.Duration;

/**
 * Passive health checking: a target whose requests fail {@code consecutiveFailures} times in a row
 * (connection refused, reset or timed out, or a 5xx answer) is ejected — sent no requests — for
 * {@code baseEjectionTime} times the number of times it has been ejected, at most {@code maxEjectionTime}.
 * At most {@code maxEjectedPercent} of an upstream's targets are ejected at once (at least one may be).
 *
 * @param consecutiveFailures failures in a row that eject a target; {@code 0} turns detection off
 */
public record OutlierDetectionConfig(
    Integer consecutiveFailures, Duration baseEjectionTime, Duration maxEjectionTime, Integer maxEjectedPercent) {

  public OutlierDetectionConfig {
    consecutiveFailures = consecutiveFailures != null ? consecutiveFailures : 5;
    baseEjectionTime = baseEjectionTime != null ? baseEjectionTime : Duration.ofSeconds(10);
    maxEjectionTime = maxEjectionTime != null ? maxEjectionTime : Duration.ofMinutes(5);
    maxEjectedPercent = maxEjectedPercent != null ? maxEjectedPercent : 50;
    if (consecutiveFailures < 0) {
      throw new ConfigException("consecutiveFailures", "must be >= 0 (0 turns outlier detection off)");
    }
    Durations.requirePositive("baseEjectionTime", baseEjectionTime);
    Durations.requirePositive("maxEjectionTime", maxEjectionTime);
    if (maxEjectionTime.compareTo(baseEjectionTime) < 0) {
      throw new ConfigException("maxEjectionTime", "must not be shorter than baseEjectionTime");
    }
    if (maxEjectedPercent < 0 || maxEjectedPercent > 100) {
      throw new ConfigException("maxEjectedPercent", "must be 0..100");
    }
  }

  public static OutlierDetectionConfig defaults() {
    return new OutlierDetectionConfig(null, null, null, null);
  }

  public boolean enabled() {
    return consecutiveFailures > 0;
  }
}
