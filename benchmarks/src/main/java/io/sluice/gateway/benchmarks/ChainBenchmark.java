// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.benchmarks;

import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.Stage;
import io.sluice.gateway.platform.policy.ChainEntry;
import io.sluice.gateway.platform.policy.ChainRun;
import io.sluice.gateway.platform.policy.ChainTimer;
import io.sluice.gateway.platform.policy.PolicyChain;
import io.sluice.gateway.testkit.FakeExchange;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
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
 * The chain's own cost: one run through {@code policies} no-op policies (each only proceeds) to an upstream
 * call that has already answered, on the calling thread. The difference between sizes is the overhead per
 * policy; size 0 is the chain machinery alone (futures, the time limit armed and disarmed).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ChainBenchmark {

  @Param({"0", "1", "5", "10"})
  int policies;

  PolicyChain chain;

  /** The proxy backs the time limit with its deadline tick: arming is two field writes. */
  static final class FieldTimer implements ChainTimer {
    long deadline;
    Runnable expired;

    @Override
    public void arm(long millis, Runnable expired) {
      this.deadline = System.nanoTime() + millis * 1_000_000;
      this.expired = expired;
    }

    @Override
    public void disarm() {
      expired = null;
    }
  }

  final FieldTimer timer = new FieldTimer();

  @Setup
  public void setUp() {
    Policy proceed = (exchange, next) -> next.proceed();
    List<ChainEntry> entries = new ArrayList<>();
    for (int i = 0; i < policies; i++) {
      entries.add(new ChainEntry("noop", Stage.TRANSFORM, "benchmark", proceed));
    }
    chain = new PolicyChain(entries);
  }

  @Benchmark
  public Future<Void> runChain() {
    FakeExchange exchange = FakeExchange.request(HttpMethod.GET, "/orders/42");
    return new ChainRun(chain, "bench", exchange, Future::succeededFuture, timer, 10_000).run();
  }
}
