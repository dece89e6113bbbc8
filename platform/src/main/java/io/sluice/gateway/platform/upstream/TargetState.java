// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.upstream;

import io.sluice.gateway.platform.config.CircuitBreakerConfig;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * One target and what the gateway knows about it: requests in flight, latency, active-check health, passive
 * ejection, a hold asked for by {@code Retry-After}, and its circuit breaker. Kept across configuration
 * reloads for as long as the upstream lists the target, so a reload neither forgets an outage nor resets the
 * latency it has learned.
 *
 * <p>Thread-safe: every event loop reads it per request (volatile reads only); updates are atomic or short
 * synchronized sections. Times are {@link System#nanoTime()} values.
 */
public final class TargetState {

  /** Decay time constant of the latency average: a sample's weight halves in about 7 s. */
  private static final double DECAY_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** The latency charged for a failed attempt, so that a target failing fast does not look fast. */
  static final long FAILURE_PENALTY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Target target;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final LongAdder requests = new LongAdder();
  private final LongAdder failures = new LongAdder();

  private volatile boolean healthy = true;
  private int probePasses;
  private int probeFailures;
  private @Nullable String lastProbeFailure;

  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private volatile boolean ejected;
  private volatile long ejectedUntil;
  private int ejections;
  private long lastEjectionNanos;
  private long ejectionEnded;

  private volatile boolean held;
  private volatile long heldUntil;

  private volatile @Nullable CircuitBreaker breaker;

  private long ewmaNanos;
  private long ewmaStamp;

  TargetState(Target target) {
    this.target = target;
  }

  public Target target() {
    return target;
  }

  /** Installs, replaces or removes the breaker when its configuration changed (at reload). */
  void configureBreaker(@Nullable CircuitBreakerConfig config) {
    CircuitBreaker current = breaker;
    if (config == null) {
      breaker = null;
    } else if (current == null || !current.config().equals(config)) {
      breaker = new CircuitBreaker(config);
    }
  }

  /** Whether the target may be picked at {@code now}: healthy, not ejected, not held, breaker letting through. */
  boolean available(long now) {
    if (!healthy || ejected(now) || held(now)) {
      return false;
    }
    CircuitBreaker b = breaker;
    return b == null || b.allows(now);
  }

  /**
   * Starts an attempt: counts it in flight and takes the breaker's permission.
   *
   * @return the breaker permit to hand back to {@link #finish}, or {@link CircuitBreaker#DENIED} (nothing
   *     was counted)
   */
  int start(long now) {
    CircuitBreaker b = breaker;
    int permit = b == null ? CircuitBreaker.NORMAL : b.acquire(now);
    if (permit != CircuitBreaker.DENIED) {
      inFlight.incrementAndGet();
      requests.increment();
    }
    return permit;
  }

  /** Ends an attempt started with {@link #start}; call exactly once per successful start. */
  void finish() {
    inFlight.decrementAndGet();
  }

  /** Records the outcome of an attempt at its response head (or failure) and feeds the breaker and latency. */
  void record(int permit, Outcome outcome, long latencyNanos, long now) {
    CircuitBreaker b = breaker;
    if (b != null) {
      b.record(permit, outcome, now);
    }
    if (outcome == Outcome.CANCELLED) {
      return;
    }
    if (outcome.failure()) {
      failures.increment();
    }
    observeLatency(outcome.failure() ? Math.max(latencyNanos, FAILURE_PENALTY_NANOS) : latencyNanos, now);
  }

  /** Counts a failure in a row; returns how many there have been. */
  int failedInARow() {
    return consecutiveFailures.incrementAndGet();
  }

  void succeeded() {
    if (consecutiveFailures.get() != 0) {
      consecutiveFailures.set(0);
    }
  }

  boolean ejected(long now) {
    return ejected && now - ejectedUntil < 0;
  }

  /**
   * Ejects the target for {@code base} times the number of ejections (the count starts again once it has
   * gone {@code max} without one), at most {@code max}. Returns the ejection's length.
   */
  synchronized long eject(long now, long baseNanos, long maxNanos) {
    if (ejections > 0 && now - ejectionEnded > maxNanos) {
      ejections = 0;
    }
    ejections++;
    long length = Math.min(maxNanos, baseNanos * ejections);
    lastEjectionNanos = length;
    ejectedUntil = now + length;
    ejectionEnded = ejectedUntil;
    ejected = true;
    consecutiveFailures.set(0);
    return length;
  }

  private boolean held(long now) {
    return held && now - heldUntil < 0;
  }

  /** Sends the target nothing until {@code until}: it answered 503 with {@code Retry-After}. */
  void hold(long until) {
    heldUntil = until;
    held = true;
  }

  /** Records an active probe's result; returns true when it changed the target's health. */
  synchronized boolean probed(boolean passed, @Nullable String failure, int healthyThreshold, int unhealthyThreshold) {
    if (passed) {
      probeFailures = 0;
      probePasses++;
      if (!healthy && probePasses >= healthyThreshold) {
        healthy = true;
        return true;
      }
    } else {
      lastProbeFailure = failure;
      probePasses = 0;
      probeFailures++;
      if (healthy && probeFailures >= unhealthyThreshold) {
        healthy = false;
        return true;
      }
    }
    return false;
  }

  /** Forgets active-check results (the upstream no longer has a health check). */
  synchronized void clearProbes() {
    healthy = true;
    probePasses = 0;
    probeFailures = 0;
    lastProbeFailure = null;
  }

  boolean healthy() {
    return healthy;
  }

  int inFlight() {
    return inFlight.get();
  }

  /** The peak-EWMA latency in nanoseconds (0 before the first response). */
  synchronized long latencyNanos(long now) {
    if (ewmaNanos == 0) {
      return 0;
    }
    return (long) (ewmaNanos * Math.exp(-(now - ewmaStamp) / DECAY_NANOS) + 0.5) + 1;
  }

  /** Peak EWMA: a slower sample is taken at once, faster ones pull the average down over time. */
  private synchronized void observeLatency(long sample, long now) {
    if (ewmaNanos == 0 || sample > ewmaNanos) {
      ewmaNanos = sample;
    } else {
      double w = Math.exp(-(now - ewmaStamp) / DECAY_NANOS);
      ewmaNanos = (long) (ewmaNanos * w + sample * (1 - w));
    }
    ewmaStamp = now;
  }

  /** Nanoseconds until this target could be picked again, or -1 when that depends on an active check. */
  long availableIn(long now) {
    if (!healthy) {
      return -1;
    }
    long wait = 0;
    if (ejected(now)) {
      wait = Math.max(wait, ejectedUntil - now);
    }
    if (held(now)) {
      wait = Math.max(wait, heldUntil - now);
    }
    CircuitBreaker b = breaker;
    if (b != null) {
      wait = Math.max(wait, b.remainingOpenNanos(now));
    }
    return wait;
  }

  /** For gauges (metrics, read at a scrape): whether the target could be picked now. */
  public boolean availableNow() {
    return available(System.nanoTime());
  }

  /** For gauges: whether the active health check counts the target healthy (true without a check). */
  public boolean healthyNow() {
    return healthy;
  }

  /** For gauges: whether outlier detection has the target ejected now. */
  public boolean ejectedNow() {
    return ejected(System.nanoTime());
  }

  /** For gauges: attempts in flight to the target. */
  public int inFlightNow() {
    return inFlight.get();
  }

  /** For gauges: the breaker's state, 0 closed (or no breaker), 1 open, 2 half-open. */
  public int breakerStateNow() {
    CircuitBreaker b = breaker;
    if (b == null) {
      return 0;
    }
    return switch (b.state(System.nanoTime())) {
      case CLOSED -> 0;
      case OPEN -> 1;
      case HALF_OPEN -> 2;
    };
  }

  /** What {@code GET /admin/upstreams} shows of this target. */
  synchronized JsonObject describe(long now) {
    CircuitBreaker b = breaker;
    JsonObject json = new JsonObject()
        .put("target", target.toString())
        .put("weight", target.weight())
        .put("available", available(now))
        .put("health", healthy ? "healthy" : "unhealthy")
        .put("inFlight", inFlight.get())
        .put("latencyMs", latencyNanos(now) / 1e6)
        .put("requests", requests.sum())
        .put("failures", failures.sum())
        .put("consecutiveFailures", consecutiveFailures.get())
        .put("ejected", ejected(now))
        .put("ejections", ejections)
        .put("breaker", b == null ? "none" : b.state(now).name().toLowerCase(java.util.Locale.ROOT));
    if (ejected(now)) {
      json.put("ejectedForMs", TimeUnit.NANOSECONDS.toMillis(ejectedUntil - now));
    }
    if (ejections > 0) {
      json.put("lastEjectionMs", TimeUnit.NANOSECONDS.toMillis(lastEjectionNanos));
    }
    if (held(now)) {
      json.put("heldForMs", TimeUnit.NANOSECONDS.toMillis(heldUntil - now));
    }
    if (lastProbeFailure != null) {
      json.put("lastProbeFailure", lastProbeFailure);
    }
    return json;
  }

  @Override
  public String toString() {
    return Objects.toString(target);
  }
}
