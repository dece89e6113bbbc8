// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.platform.script.ScriptConfig;
import io.sluice.gateway.platform.script.ScriptEngine;
import io.sluice.gateway.platform.script.ScriptPolicyFactory;
import io.sluice.gateway.testkit.FakeExchange;
import io.sluice.gateway.testkit.PolicyHarness;
import io.sluice.gateway.testkit.TestChain;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One call of a typical header-rewriting script policy (onRequest sets two headers, onResponse one), on the
 * calling thread, against a fake exchange: the script's own cost, without the proxy.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class ScriptPolicyBenchmark {

  ScriptEngine engine;
  PolicyHarness harness;
  Policy policy;

  @Setup
  public void setUp() throws Exception {
    Path dir = Files.createTempDirectory("sluice-jmh");
    Files.writeString(dir.resolve("headers.js"), """
        function onRequest(exchange) {
          exchange.request.setHeader(config.header, exchange.request.pathParams.tenant);
          exchange.request.setHeader('X-Method', exchange.request.method);
        }
        function onResponse(exchange) {
          exchange.response.setHeader('X-Handled-By', 'js');
        }
        """);
    engine = new ScriptEngine();
    harness = new PolicyHarness();
    policy = new ScriptPolicyFactory(() -> engine, dir, 1).create(
        new ScriptConfig("headers.js", Duration.ofMillis(50), new ObjectMapper().readTree("{\"header\":\"X-Tenant\"}"), null),
        harness.context("script"));
  }

  @Benchmark
  public FakeExchange applyScript() {
    FakeExchange exchange = FakeExchange.request(HttpMethod.GET, "/t/acme/orders").pathParam("tenant", "acme");
    policy.apply(exchange, TestChain.upstreamOk(exchange));
    return exchange;
  }

  @TearDown
  public void tearDown() {
    harness.close();
    engine.close();
  }
}
