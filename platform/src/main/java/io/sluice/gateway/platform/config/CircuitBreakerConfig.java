// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import io.sluice.gateway.api.config.ConfigException;
import java.time.Duration;

/**
 * A circuit breaker per target, on the failure rate of its most recent requests. Closed: requests flow and
 * outcomes are recorded over a window of the last {@code window} requests; once at least
 * {@code minimumRequests} are recorded and {@code failureRatePercent} of them failed, it opens. Open: the
 * target gets no requests for {@code openFor}. Half-open: up to {@code trialRequests} requests are let
 * through; if they all succeed it closes, any failure opens it again.
 */
public record CircuitBreakerConfig(
    Integer failureRatePercent, Integer window, Integer minimumRequests, Duration openFor, Integer trialRequests) {

  public CircuitBreakerConfig {
    failureRatePercent = failureRatePercent != null ? failureRatePercent : 50;
    window = window != null ? window : 20;
    minimumRequests = minimumRequests != null ? minimumRequests : 10;
    openFor = openFor != null ? openFor : Duration.ofSeconds(30);
    trialRequests = trialRequests != null ? trialRequests : 3;
    if (failureRatePercent < 1 || failureRatePercent > 100) {
      throw new ConfigException("failureRatePercent", "must be 1..100");
    }
    if (window < 1 || window > 1000) {
      throw new ConfigException("window", "must be 1..1000");
    }
    if (minimumRequests < 1 || minimumRequests > window) {
      throw new ConfigException("minimumRequests", "must be 1..window (" + window + ")");
    }
    Durations.requirePositive("openFor", openFor);
    if (trialRequests < 1 || trialRequests > 100) {
      throw new ConfigException("trialRequests", "must be 1..100");
    }
  }
}
