// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import java.time.Duration;

/**
 * Upstream timeouts of a route.
 *
 * @param connect to open a connection to a target (504 {@code UPSTREAM_TIMEOUT} when exceeded)
 * @param response from the end of the request to the upstream's response head
 * @param idle the longest silence while streaming either body
 */
public record TimeoutsConfig(Duration connect, Duration response, Duration idle) {

  public TimeoutsConfig {
    connect = connect != null ? connect : Duration.ofSeconds(5);
    response = response != null ? response : Duration.ofSeconds(30);
    idle = idle != null ? idle : Duration.ofSeconds(60);
    Durations.requirePositive("connect", connect);
    Durations.requirePositive("response", response);
    Durations.requirePositive("idle", idle);
  }

  public static TimeoutsConfig defaults() {
    return new TimeoutsConfig(null, null, null);
  }
}
