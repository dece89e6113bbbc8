// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.upstream;

import io.sluice.gateway.platform.config.BalancerKind;
import io.sluice.gateway.platform.config.HealthCheckConfig;
import io.sluice.gateway.platform.config.OutlierDetectionConfig;
import io.sluice.gateway.platform.config.TimeoutsConfig;
import io.sluice.gateway.platform.config.UpstreamConfig;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.SocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named group of targets and everything that decides where a request goes and whether it is tried again:
 * the balancer, health (active checks, outlier ejection, breakers, {@code Retry-After} holds), the retry
 * policy and budget, TLS and timeouts.
 *
 * <p>Thread-safe: routes on every event loop share one instance. An attempt is {@link #begin begun},
 * {@link #record recorded} at its response head or failure, and {@link #end ended} when the exchange with
 * that target is over.
 */
public final class Upstream {

  private static final Logger log = LoggerFactory.getLogger(Upstream.class);

  private final String name;
  private final String basePath;
  private final UpstreamConfig config;
  private final List<TargetState> targets;
  private final Balancer balancer;
  private final @Nullable HashKey hashKey;
  private final RetryPolicy retries;
  private final RetryBudget budget;
  private final @Nullable ClientSSLOptions ssl;
  private final UpstreamListener listener;
  private final LongSupplier clock;

  /**
   * @param name the upstream's name in config, or the URL for a route that names a URL
   * @param basePath a path prefix prepended to every upstream path ({@code ""} for none)
   * @param targets the targets' states (shared with the previous configuration where they carry over)
   */
  Upstream(
      String name,
      String basePath,
      UpstreamConfig config,
      List<TargetState> targets,
      @Nullable ClientSSLOptions ssl,
      LongSupplier clock,
      UpstreamListener listener) {
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("an upstream needs at least one target");
    }
    this.name = name;
    this.basePath = basePath;
    this.config = config;
    this.targets = List.copyOf(targets);
    this.ssl = ssl;
    this.clock = clock;
    this.listener = listener;
    this.balancer = switch (config.balancer()) {
      case ROUND_ROBIN -> new RoundRobinBalancer(this.targets);
      case LEAST_IN_FLIGHT -> new LeastInFlightBalancer(this.targets);
      case CONSISTENT_HASH -> new ConsistentHashBalancer(this.targets);
      case LEAST_LATENCY -> new LeastLatencyBalancer(this.targets);
    };
    this.hashKey = config.balancer() == BalancerKind.CONSISTENT_HASH ? HashKey.parse(config.hashOn()) : null;
    this.retries = new RetryPolicy(config.retries());
    this.budget = new RetryBudget(config.retries().budgetPercent(), config.retries().minRetriesPerSecond());
  }

  /**
   * Applies the settings that live in the shared target states (the breakers). Called when this upstream's
   * configuration becomes the serving one, never for a configuration that may still be refused.
   */
  void activate() {
    for (TargetState t : targets) {
      t.configureBreaker(config.circuitBreaker());
    }
  }

  public String name() {
    return name;
  }

  /** A prefix for upstream paths, without a trailing slash; empty for none. */
  public String basePath() {
    return basePath;
  }

  public List<TargetState> targets() {
    return targets;
  }

  public RetryPolicy retries() {
    return retries;
  }

  /** The upstream's timeouts, which a route's own override field by field. */
  public TimeoutsConfig timeouts() {
    return config.timeouts();
  }

  public @Nullable HealthCheckConfig healthCheck() {
    return config.healthCheck();
  }

  /** Whether the balancer hashes a request key (then {@link #hashKey} is worth computing). */
  public boolean hashes() {
    return hashKey != null;
  }

  /** Whether any target could be picked now (a retry is only worth its price when one can). */
  public boolean anyAvailable() {
    long now = clock.getAsLong();
    for (TargetState t : targets) {
      if (t.available(now)) {
        return true;
      }
    }
    return false;
  }

  /** The request's hash key when the balancer hashes, else null. */
  public @Nullable String hashKey(HttpServerRequest request, String clientAddress, String path) {
    return hashKey == null ? null : hashKey.of(request, clientAddress, path);
  }

  /**
   * Picks a target and starts an attempt on it; null when no target is available. A retry passes the
   * previous attempt so that another target is preferred (the same one only when it is the only one left).
   * The first attempt of a request also counts the request in the retry budget.
   */
  public @Nullable Attempt begin(@Nullable String key, @Nullable Attempt previous) {
    long now = clock.getAsLong();
    if (previous == null) {
      budget.request(now);
    }
    TargetState avoid = previous == null ? null : previous.state;
    for (int tries = 0; tries <= targets.size(); tries++) {
      TargetState t = balancer.pick(key, now, avoid);
      if (t == null && avoid != null) {
        t = balancer.pick(key, now, null);
      }
      if (t == null) {
        return null;
      }
      int permit = t.start(now);
      if (permit != CircuitBreaker.DENIED) {
        return new Attempt(t, permit, now, previous == null ? 0 : previous.number + 1);
      }
      // A half-open breaker's last trial place went to another event loop: pick again.
    }
    return null;
  }

  /** Whether the retry budget allows one more retry now (and takes it). */
  public boolean tryRetry() {
    return budget.tryRetry(clock.getAsLong());
  }

  /**
   * Records how the attempt went, once: at its response head ({@code status}) or its failure. Feeds latency,
   * the breaker and outlier detection.
   */
  public void record(Attempt attempt, Outcome outcome, int status) {
    if (attempt.recorded) {
      return;
    }
    attempt.recorded = true;
    long now = clock.getAsLong();
    TargetState t = attempt.state;
    t.record(attempt.permit, outcome, now - attempt.startNanos, now);
    listener.attempted(name, t.target(), outcome, status, now - attempt.startNanos);
    if (outcome == Outcome.CANCELLED) {
      return;
    }
    OutlierDetectionConfig outliers = config.outlierDetection();
    if (!outcome.failure()) {
      t.succeeded();
      return;
    }
    if (!outliers.enabled() || t.failedInARow() < outliers.consecutiveFailures()) {
      return;
    }
    int ejected = 0;
    for (TargetState other : targets) {
      if (other.ejected(now)) {
        ejected++;
      }
    }
    int cap = outliers.maxEjectedPercent() == 0 ? 0 : Math.max(1, targets.size() * outliers.maxEjectedPercent() / 100);
    if (ejected >= cap || t.ejected(now)) {
      return;
    }
    long length = t.eject(now, outliers.baseEjectionTime().toNanos(), outliers.maxEjectionTime().toNanos());
    listener.ejected(name, t.target(), length);
    log.warn("upstream {}: target {} ejected for {}ms after {} failure(s) in a row (last: {}{})", name, t.target(),
        TimeUnit.NANOSECONDS.toMillis(length), outliers.consecutiveFailures(), outcome,
        outcome == Outcome.SERVER_ERROR ? " " + status : "");
  }

  /**
   * Honours a 503's {@code Retry-After}: the target gets no requests for that long, capped at the outlier
   * detection's longest ejection.
   */
  public void hold(Attempt attempt, long retryAfterSeconds) {
    long cap = config.outlierDetection().maxEjectionTime().toNanos();
    long nanos = Math.min(cap, TimeUnit.SECONDS.toNanos(retryAfterSeconds));
    if (nanos > 0) {
      attempt.state.hold(clock.getAsLong() + nanos);
    }
  }

  /** Ends the attempt (once): it no longer counts as in flight. An attempt never recorded counts as cancelled. */
  public void end(Attempt attempt) {
    if (attempt.ended) {
      return;
    }
    attempt.ended = true;
    if (!attempt.recorded) {
      record(attempt, Outcome.CANCELLED, 0);
    }
    attempt.state.finish();
  }

  /**
   * Seconds until some target could be available again, for the {@code Retry-After} of a 503
   * {@code NO_HEALTHY_UPSTREAM}; at least 1, and the active-check interval times its healthy threshold when
   * only a health check can bring a target back.
   */
  public long retryAfterSeconds() {
    long now = clock.getAsLong();
    long best = Long.MAX_VALUE;
    for (TargetState t : targets) {
      long wait = t.availableIn(now);
      if (wait >= 0) {
        best = Math.min(best, wait);
      }
    }
    if (best == Long.MAX_VALUE) {
      HealthCheckConfig hc = config.healthCheck();
      best = hc == null ? 0 : hc.interval().toNanos() * hc.healthyThreshold();
    }
    return Math.max(1, (best + 999_999_999L) / 1_000_000_000L);
  }

  /** Sets where and how {@code options} connects to {@code target}: address, TLS, SNI. */
  public RequestOptions address(RequestOptions options, Target target) {
    options.setHost(target.host()).setPort(target.port()).setSsl(target.tls());
    if (target.tls()) {
      if (ssl != null) {
        options.setSslOptions(ssl);
      }
      String serverName = config.tls().serverName();
      if (serverName != null) {
        // Connect to the target's address, but send serverName in SNI and verify the certificate against it.
        options.setServer(SocketAddress.inetSocketAddress(target.port(), target.host())).setHost(serverName);
      }
    }
    return options;
  }

  /** What {@code GET /admin/upstreams} shows. */
  public JsonObject describe() {
    long now = clock.getAsLong();
    JsonArray list = new JsonArray();
    for (TargetState t : targets) {
      list.add(t.describe(now));
    }
    JsonObject json = new JsonObject()
        .put("name", name)
        .put("balancer", config.balancer().toString())
        .put("targets", list)
        .put("retryBudget", budget.describe(now))
        .put("outlierDetection", config.outlierDetection().enabled());
    if (hashKey != null) {
      json.put("hashOn", config.hashOn());
    }
    HealthCheckConfig hc = config.healthCheck();
    if (hc != null) {
      json.put("healthCheck", new JsonObject().put("path", hc.path()).put("intervalMs", hc.interval().toMillis()));
    }
    return json;
  }

  @Override
  public String toString() {
    return name;
  }
}
