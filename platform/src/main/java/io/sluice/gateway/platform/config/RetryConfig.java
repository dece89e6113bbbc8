// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import io.sluice.gateway.api.config.ByteSize;
import io.sluice.gateway.api.config.ConfigException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * When a failed request is tried again, on another target when there is one.
 *
 * @param attempts retries after the first try; {@code 0} turns retries off
 * @param on what is retried: {@code connect-failure}, {@code reset} (the connection closed or was reset before
 *     the response head), {@code timeout} (no response head in {@code timeouts.response}), and statuses
 *     ({@code 503}) or classes ({@code 5xx})
 * @param methods methods whose requests may be retried after they were sent; a connect failure is retried
 *     for any method, since nothing was sent
 * @param backoff the first pause before a retry; it doubles per retry, with full jitter, up to
 *     {@code maxBackoff}
 * @param budgetPercent retries may add at most this share of the upstream's requests over the last 10 s
 * @param minRetriesPerSecond retries always allowed regardless of the budget, so that a quiet upstream can
 *     still retry
 * @param maxBodySize request bodies up to this size (by {@code Content-Length}) are held so they can be
 *     replayed; larger or chunked bodies stream and their requests are not retried once sent
 */
public record RetryConfig(
    Integer attempts,
    List<String> on,
    List<String> methods,
    Duration backoff,
    Duration maxBackoff,
    Integer budgetPercent,
    Integer minRetriesPerSecond,
    ByteSize maxBodySize) {

  /** The conditions retried by default. */
  public static final List<String> DEFAULT_ON = List.of("connect-failure", "reset", "502", "503", "504");

  /** Idempotent methods (RFC 9110 §9.2.2). */
  public static final List<String> IDEMPOTENT_METHODS = List.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE");

  public RetryConfig {
    attempts = attempts != null ? attempts : 1;
    on = on != null ? List.copyOf(on) : DEFAULT_ON;
    methods = methods != null ? methods.stream().map(m -> m.toUpperCase(Locale.ROOT)).toList() : IDEMPOTENT_METHODS;
    backoff = backoff != null ? backoff : Duration.ofMillis(25);
    maxBackoff = maxBackoff != null ? maxBackoff : Duration.ofMillis(250);
    budgetPercent = budgetPercent != null ? budgetPercent : 20;
    minRetriesPerSecond = minRetriesPerSecond != null ? minRetriesPerSecond : 10;
    maxBodySize = maxBodySize != null ? maxBodySize : ByteSize.ofKilobytes(64);
    if (attempts < 0 || attempts > 10) {
      throw new ConfigException("attempts", "must be 0..10");
    }
    for (int i = 0; i < on.size(); i++) {
      checkCondition(on.get(i), "on[" + i + "]");
    }
    if (backoff.isNegative()) {
      throw new ConfigException("backoff", "must be >= 0");
    }
    if (maxBackoff.compareTo(backoff) < 0) {
      throw new ConfigException("maxBackoff", "must not be shorter than backoff");
    }
    if (budgetPercent < 0 || budgetPercent > 1000) {
      throw new ConfigException("budgetPercent", "must be 0..1000");
    }
    if (minRetriesPerSecond < 0) {
      throw new ConfigException("minRetriesPerSecond", "must be >= 0");
    }
    if (maxBodySize.bytes() > 16L * 1024 * 1024) {
      throw new ConfigException("maxBodySize", "must be at most 16MB (replayable bodies are held in memory)");
    }
  }

  public static RetryConfig defaults() {
    return new RetryConfig(null, null, null, null, null, null, null, null);
  }

  private static void checkCondition(String condition, String field) {
    switch (condition) {
      case "connect-failure", "reset", "timeout", "5xx" -> {
        return;
      }
      default -> {
        if (condition.length() == 3 && condition.charAt(0) == '5' && condition.chars().allMatch(Character::isDigit)) {
          return;
        }
        throw new ConfigException(field, "'" + condition
            + "' is not a retry condition (connect-failure, reset, timeout, 5xx, or a 5xx status such as 503)");
      }
    }
  }
}
