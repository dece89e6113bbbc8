// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Upstream timeouts, set on an upstream (for every route that uses it) and overridden per field by a route.
 * Components hold what was written ({@code null} when absent); the accessors give the effective value.
 *
 * @param connect to open a connection to a target (504 {@code UPSTREAM_TIMEOUT} when exceeded)
 * @param response from the end of the request to the upstream's response head, per attempt
 * @param total from the first attempt to the response head, across retries and their pauses
 * @param idle the longest silence while streaming either body
 * @param policy the longest a policy may hold an exchange before it proceeds, answers or rejects (and
 *     again on the response path); beyond it the exchange fails with 500 {@code POLICY_ERROR}. Route only.
 */
public record TimeoutsConfig(
    @Nullable Duration connect,
    @Nullable Duration response,
    @Nullable Duration total,
    @Nullable Duration idle,
    @Nullable Duration policy) {

  private static final Duration CONNECT = Duration.ofSeconds(5);
  private static final Duration RESPONSE = Duration.ofSeconds(30);
  private static final Duration TOTAL = Duration.ofSeconds(60);
  private static final Duration IDLE = Duration.ofSeconds(60);
  private static final Duration POLICY = Duration.ofSeconds(10);

  public TimeoutsConfig {
    requirePositiveIfSet("connect", connect);
    requirePositiveIfSet("response", response);
    requirePositiveIfSet("total", total);
    requirePositiveIfSet("idle", idle);
    requirePositiveIfSet("policy", policy);
  }

  public static TimeoutsConfig defaults() {
    return new TimeoutsConfig(null, null, null, null, null);
  }

  /** These timeouts, with the fields that were not written taken from {@code fallback}. */
  public TimeoutsConfig orElse(TimeoutsConfig fallback) {
    return new TimeoutsConfig(
        connect != null ? connect : fallback.connect,
        response != null ? response : fallback.response,
        total != null ? total : fallback.total,
        idle != null ? idle : fallback.idle,
        policy != null ? policy : fallback.policy);
  }

  /** Whether {@code policy} was written (it is a route setting). */
  boolean setsPolicy() {
    return policy != null;
  }

  @Override
  public Duration connect() {
    return connect != null ? connect : CONNECT;
  }

  @Override
  public Duration response() {
    return response != null ? response : RESPONSE;
  }

  @Override
  public Duration total() {
    return total != null ? total : TOTAL;
  }

  @Override
  public Duration idle() {
    return idle != null ? idle : IDLE;
  }

  @Override
  public Duration policy() {
    return policy != null ? policy : POLICY;
  }

  private static void requirePositiveIfSet(String field, @Nullable Duration value) {
    if (value != null) {
      Durations.requirePositive(field, value);
    }
  }
}
