// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.benchmarks;

import io.sluice.gateway.platform.config.BalancerKind;
import io.sluice.gateway.platform.config.RetryConfig;
import io.sluice.gateway.platform.config.TargetConfig;
import io.sluice.gateway.platform.config.UpstreamConfig;
import io.sluice.gateway.platform.upstream.Attempt;
import io.sluice.gateway.platform.upstream.Outcome;
import io.sluice.gateway.platform.upstream.Upstream;
import io.sluice.gateway.platform.upstream.UpstreamRegistry;
import io.sluice.gateway.platform.upstream.Upstreams;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What an upstream costs a request: pick a target, record a successful response head, end the attempt —
 * balancer, retry budget, latency average, outlier bookkeeping — for each balancer over 10 targets.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BalancerBenchmark {

  @Param({"ROUND_ROBIN", "LEAST_IN_FLIGHT", "CONSISTENT_HASH", "LEAST_LATENCY"})
  BalancerKind balancer;

  Upstream upstream;
  String[] keys;
  int next;

  @Setup
  public void setUp() {
    List<TargetConfig> targets = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      targets.add(TargetConfig.of("http://10.0.0." + i + ":8080"));
    }
    String hashOn = balancer == BalancerKind.CONSISTENT_HASH ? "header:X-User" : null;
    UpstreamConfig config =
        new UpstreamConfig(targets, balancer, hashOn, null, null, null, null, RetryConfig.defaults(), null);
    upstream = Upstreams.compile(Map.of("u", config), new UpstreamRegistry(null)).resolve("u");
    keys = new String[1024];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = "user-" + i;
    }
  }

  @Benchmark
  public Attempt pickRecordEnd() {
    String key = upstream.hashes() ? keys[next++ & 1023] : null;
    Attempt a = upstream.begin(key, null);
    upstream.record(a, Outcome.SUCCESS, 200);
    upstream.end(a);
    return a;
  }
}
