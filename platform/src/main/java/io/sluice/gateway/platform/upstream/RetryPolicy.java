// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.upstream;

import io.sluice.gateway.platform.config.RetryConfig;
import io.vertx.core.http.HttpMethod;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** An upstream's retry settings, compiled from {@link RetryConfig} for per-request checks without lookups by text. */
public final class RetryPolicy {

  private final int attempts;
  private final boolean onConnectFailure;
  private final boolean onReset;
  private final boolean onTimeout;
  private final boolean[] onStatus = new boolean[100];
  private final Set<HttpMethod> methods = new HashSet<>();
  private final long backoffNanos;
  private final long maxBackoffNanos;
  private final long maxBodySize;
  private final boolean retriesAfterSending;

  RetryPolicy(RetryConfig config) {
    this.attempts = config.attempts();
    this.onConnectFailure = config.on().contains("connect-failure");
    this.onReset = config.on().contains("reset");
    this.onTimeout = config.on().contains("timeout");
    for (String condition : config.on()) {
      if (condition.equals("5xx")) {
        java.util.Arrays.fill(onStatus, true);
      } else if (Character.isDigit(condition.charAt(0))) {
        onStatus[Integer.parseInt(condition) - 500] = true;
      }
    }
    for (String m : config.methods()) {
      methods.add(HttpMethod.valueOf(m));
    }
    this.backoffNanos = config.backoff().toNanos();
    this.maxBackoffNanos = config.maxBackoff().toNanos();
    this.maxBodySize = config.maxBodySize().bytes();
    boolean anyStatus = false;
    for (boolean b : onStatus) {
      anyStatus |= b;
    }
    this.retriesAfterSending = attempts > 0 && (onReset || onTimeout || anyStatus);
  }

  /** Retries allowed after the first attempt. */
  public int attempts() {
    return attempts;
  }

  /**
   * Whether an attempt that ended with {@code outcome} (and {@code status} for a server error) is retried
   * for this method. A connect failure is retried for every method: nothing reached the upstream.
   */
  public boolean retries(Outcome outcome, int status, HttpMethod method) {
    return switch (outcome) {
      case CONNECT_FAILURE -> onConnectFailure;
      case RESET -> onReset && methods.contains(method);
      case TIMEOUT -> onTimeout && methods.contains(method);
      case SERVER_ERROR -> status >= 500 && status < 600 && onStatus[status - 500] && methods.contains(method);
      default -> false;
    };
  }

  /** Whether requests of this method may be retried after they were sent (so their body is worth holding). */
  public boolean retriesAfterSending(HttpMethod method) {
    return retriesAfterSending && methods.contains(method);
  }

  /** The largest request body held for replay. */
  public long maxBodySize() {
    return maxBodySize;
  }

  /** The pause before retry number {@code retry} (1-based): exponential with full jitter. */
  public long backoffMillis(int retry) {
    if (backoffNanos == 0) {
      return 0;
    }
    long ceiling = Math.min(maxBackoffNanos, backoffNanos << Math.min(retry - 1, 20));
    return ThreadLocalRandom.current().nextLong(ceiling + 1) / 1_000_000;
  }
}
