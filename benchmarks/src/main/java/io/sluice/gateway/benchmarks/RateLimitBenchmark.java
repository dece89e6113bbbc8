// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.benchmarks;

import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.plugin.ratelimit.RateLimitConfig;
import io.sluice.gateway.plugin.ratelimit.RateLimitPolicyFactory;
import io.sluice.gateway.testkit.FakeExchange;
import io.sluice.gateway.testkit.PolicyHarness;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One rate-limit decision: key lookup, the slot's lock, the check and the count, and the {@code RateLimit-*}
 * headers written on the response, against a limit that never refuses (so it is the cost an admitted request
 * pays). {@code scope=cluster} decides from a lease (the in-memory counters refill it; a refill is one take
 * per lease, amortised). The chain is an upstream that has already answered.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RateLimitBenchmark {

  @Param({"fixed-window", "sliding-window", "token-bucket"})
  String algorithm;

  @Param({"local", "cluster"})
  String scope;

  /** 1: one limit per consumer; 2: also a per-day limit per consumer (10/s and 10,000/day style). */
  @Param({"1", "2"})
  int limits;

  PolicyHarness harness;
  Policy policy;
  FakeExchange exchange;
  Policy.Chain chain;

  @Setup(Level.Trial)
  public void setUp() {
    harness = new PolicyHarness();
    long huge = 1_000_000_000_000L;
    List<RateLimitConfig.LimitConfig> list = limits == 1
        ? List.of(new RateLimitConfig.LimitConfig(huge, Duration.ofSeconds(1), algorithm, null, null, null, null))
        : List.of(new RateLimitConfig.LimitConfig(huge, Duration.ofSeconds(1), algorithm, null, null, null, null),
            new RateLimitConfig.LimitConfig(huge, Duration.ofDays(1), "fixed-window", null, null, null, null));
    RateLimitConfig config = new RateLimitConfig(list, null, null, null, null, "consumer", null, null, null, scope, null, null);
    policy = new RateLimitPolicyFactory().create(config, harness.context("rate-limit"));
    exchange = FakeExchange.request(HttpMethod.GET, "/orders");
    exchange.consumer(Consumer.of("alice"));
    chain = () -> Future.succeededFuture();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    harness.close();
  }

  @Benchmark
  public Future<Void> decide() {
    return policy.apply(exchange, chain);
  }
}
