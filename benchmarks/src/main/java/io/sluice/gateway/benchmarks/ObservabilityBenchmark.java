// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.benchmarks;

import io.sluice.gateway.platform.analytics.GatewayAnalytics;
import io.sluice.gateway.platform.config.AnalyticsConfig;
import io.sluice.gateway.platform.config.MetricsConfig;
import io.sluice.gateway.platform.exchange.ExchangeListener;
import io.sluice.gateway.platform.exchange.FinishedExchange;
import io.sluice.gateway.platform.metrics.GatewayMetrics;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the metrics and the analytics cost per finished exchange (issue #18's "plain proxy with metrics ≤ 1.03×
 * without"): the listeners the proxy calls once an exchange ends, fed the record of a plain proxied request of a
 * route whose meters a configuration compile made. Regime-free beside the load benchmark: set against Sluice's
 * CPU per plain request (docs/benchmarks.md), it is the share these listeners take.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ObservabilityBenchmark {

  GatewayMetrics metrics;
  GatewayAnalytics analytics;
  ExchangeListener meters;
  ExchangeListener usage;
  ExchangeListener both;
  FinishedExchange exchange;
  FinishedExchange withConsumer;

  @Setup(Level.Trial)
  public void setUp() {
    metrics = new GatewayMetrics("bench", MetricsConfig.defaults());
    metrics.compiling(() -> List.of("all"), ids -> ids);
    analytics = new GatewayAnalytics(AnalyticsConfig.defaults(), Clock.systemUTC(), null);
    meters = metrics.exchanges();
    usage = analytics.exchanges();
    both = ExchangeListener.of(List.of(meters, usage));
    exchange = new FinishedExchange(System.currentTimeMillis(), "req-1", "all", "GET", "/100b", 200, null, 96, 245,
        "127.0.0.1:18081", 0, 410_000, 260_000, "127.0.0.1", "wrk", false, null, null, null, null);
    withConsumer = new FinishedExchange(System.currentTimeMillis(), "req-1", "all", "GET", "/100b", 200, null, 96,
        245, "127.0.0.1:18081", 0, 410_000, 260_000, "127.0.0.1", "wrk", false, "c42", null, null, null);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    analytics.close();
    metrics.close();
  }

  /** Route meters (requests by method and status class, latency and upstream-latency histograms, bytes). */
  @Benchmark
  public void metrics() {
    meters.finished(exchange);
  }

  /** Route meters and the consumer's counter (a consumer label within the bound). */
  @Benchmark
  public void metricsWithConsumer() {
    meters.finished(withConsumer);
  }

  /** The usage recorder behind /admin/analytics (its minute cell by route, consumer, upstream and status). */
  @Benchmark
  public void analytics() {
    usage.finished(withConsumer);
  }

  long startNanos = System.nanoTime();
  String agent = "wrk";
  String clientAddress = "127.0.0.1";
  String consumer = "c42";

  /**
   * What the proxy does at the end of each exchange when any listener is on (and not at all when none is):
   * build the finished-exchange record from the exchange's values, then run both listeners. The record, not
   * the listeners, is the allocation the metrics-on rows add per request.
   */
  @Benchmark
  public FinishedExchange recordAndMetricsAndAnalytics() {
    FinishedExchange finished = new FinishedExchange(System.currentTimeMillis(), "req-1", "all", "GET", "/100b", 200,
        null, 96, 245, "127.0.0.1:18081", 0, System.nanoTime() - startNanos, 260_000, clientAddress, agent, false,
        consumer, null, null, null);
    both.finished(finished);
    return finished;
  }

  /** Both, as a gateway with the defaults runs them. */
  @Benchmark
  public void metricsAndAnalytics() {
    both.finished(withConsumer);
  }
}
