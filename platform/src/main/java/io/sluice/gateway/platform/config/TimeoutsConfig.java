// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import java.time.Duration;

/**
 * Upstream timeouts of a route.
 *
 * @param connect to open a connection to a target (504 {@code UPSTREAM_TIMEOUT} when exceeded)
 * @param response from the end of the request to the upstream's response head
 * @param idle the longest silence while streaming either body
 * @param policy the longest a policy may hold an exchange before it proceeds, answers or rejects (and
 *     again on the response path); beyond it the exchange fails with 500 {@code POLICY_ERROR}
 */
public record TimeoutsConfig(Duration connect, Duration response, Duration idle, Duration policy) {

  public TimeoutsConfig {
    connect = connect != null ? connect : Duration.ofSeconds(5);
    response = response != null ? response : Duration.ofSeconds(30);
    idle = idle != null ? idle : Duration.ofSeconds(60);
    policy = policy != null ? policy : Duration.ofSeconds(10);
    Durations.requirePositive("connect", connect);
    Durations.requirePositive("response", response);
    Durations.requirePositive("idle", idle);
    Durations.requirePositive("policy", policy);
  }

  public static TimeoutsConfig defaults() {
    return new TimeoutsConfig(null, null, null, null);
  }
}
