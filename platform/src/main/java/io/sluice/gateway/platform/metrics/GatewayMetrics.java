// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.registry.otlp.OtlpConfig;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import io.sluice.gateway.api.PolicyMeters;
import io.sluice.gateway.platform.config.GatewayConfig;
import io.sluice.gateway.platform.config.MetricsConfig;
import io.sluice.gateway.platform.exchange.ExchangeListener;
import io.sluice.gateway.platform.plugin.PluginGeneration;
import io.sluice.gateway.platform.policy.PolicyTimings;
import io.sluice.gateway.platform.reload.Reloader;
import io.sluice.gateway.platform.tracing.SpanExports;
import io.sluice.gateway.platform.upstream.UpstreamListener;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's metrics: one Micrometer registry with the exchange, consumer, policy, plugin and upstream
 * meters, configuration, plugin and script reloads, in-flight requests, connections, Netty's allocator and the
 * JVM's own meters, scraped as Prometheus text or OpenMetrics, and pushed over OTLP when configured.
 *
 * <p>Meters are made when a configuration is compiled or applied (per route, per policy, per upstream target)
 * and removed with it, never looked up in the registry per request; scraping runs off the event loop.
 */
public final class GatewayMetrics implements Reloader.Listener, AutoCloseable {

  /** The content type of the Prometheus text format, version 0.0.4. */
  public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /** The content type of OpenMetrics 1.0 text. */
  public static final String OPENMETRICS_TEXT = "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final @Nullable OtlpMeterRegistry otlp;
  /** Where meters are registered: the Prometheus registry, or a composite of it and the OTLP one. */
  private final MeterRegistry registry;
  private final ExchangeMeters exchanges;
  private final UpstreamMeters upstreams;
  private final CompiledMeters compiled;
  private final PolicyTimers policyTimers;
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Counter reloadsApplied;
  private final Counter reloadsRefused;
  private final Counter pluginReloadsApplied;
  private final Counter pluginReloadsRefused;
  private final Counter scriptReloadsApplied;
  private final Counter scriptReloadsRefused;
  private @Nullable TracingMeters tracing;

  /** Metrics with the defaults ({@code metrics: {}}). */
  public GatewayMetrics(String version) {
    this(version, MetricsConfig.defaults());
  }

  public GatewayMetrics(String version, MetricsConfig config) {
    MetricsConfig.Otlp push = config.otlp();
    if (push == null) {
      otlp = null;
      registry = prometheus;
    } else {
      otlp = new OtlpMeterRegistry(otlpConfig(push), Clock.SYSTEM);
      CompositeMeterRegistry composite = new CompositeMeterRegistry();
      composite.add(prometheus);
      composite.add(otlp);
      registry = composite;
    }
    registry.config().commonTags("service", "sluice");
    exchanges = new ExchangeMeters(registry, config.consumers().maxLabels());
    upstreams = new UpstreamMeters(registry);
    compiled = new CompiledMeters(registry);
    policyTimers = new PolicyTimers(registry, compiled);
    Gauge.builder("sluice.info", () -> 1).description("The running gateway's version").tags(List.of(Tag.of("version", version)))
        .register(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new NettyAllocatorMeters().bindTo(registry);
    reloadsApplied = reloads("sluice.config.reloads", "Configurations applied (the first included) or refused", "applied");
    reloadsRefused = reloads("sluice.config.reloads", "Configurations applied (the first included) or refused", "refused");
    pluginReloadsApplied = reloads("sluice.plugin.reloads", "Plugin directory reloads installed or refused", "applied");
    pluginReloadsRefused = reloads("sluice.plugin.reloads", "Plugin directory reloads installed or refused", "refused");
    scriptReloadsApplied = reloads("sluice.script.reloads", "Reloads for a changed script file, applied or refused", "applied");
    scriptReloadsRefused = reloads("sluice.script.reloads", "Reloads for a changed script file, applied or refused", "refused");
  }

  private Counter reloads(String name, String description, String outcome) {
    return Counter.builder(name).description(description).tag("outcome", outcome).register(registry);
  }

  private static OtlpConfig otlpConfig(MetricsConfig.Otlp push) {
    return new OtlpConfig() {
      @Override
      public @Nullable String get(String key) {
        return null;
      }

      @Override
      public String url() {
        return push.endpoint();
      }

      @Override
      public Duration step() {
        return push.step();
      }
    };
  }

  /** The registry, for meters of the gateway's other parts. */
  public MeterRegistry registry() {
    return registry;
  }

  /** Counts every finished exchange; hand it to the proxy. */
  public ExchangeListener exchanges() {
    return exchanges;
  }

  /** Counts upstream attempts and ejections and reports targets' state; register it before compiling. */
  public UpstreamListener upstreams() {
    return upstreams;
  }

  /** Where compiled chains report each policy's time and failures. */
  public PolicyTimings.Factory policyTimings() {
    return policyTimers;
  }

  /** The meters the factory of {@code policyType} gets for {@code routeId} ({@code PolicyContext.meters()}). */
  public PolicyMeters policyMeters(String routeId, String policyType) {
    return new PluginCounters(registry, compiled, routeId, policyType);
  }

  /**
   * Runs one compilation of a configuration: the meters it registers serve once it succeeds (and those only
   * the previous configuration used are removed), or are removed when it fails. The exchange meters of the
   * result's {@code routeIds} are made now, before it serves, and those of routes it drops removed (an exchange
   * of a dropped route that finishes after this is not counted by route). The caller swaps the result in right
   * after a success.
   */
  public <T> T compiling(Supplier<T> compilation, Function<T, Collection<String>> routeIds) {
    T result;
    try {
      result = compilation.get();
    } catch (RuntimeException | Error e) {
      compiled.discard();
      throw e;
    }
    compiled.commit();
    exchanges.retain(Set.copyOf(routeIds.apply(result)));
    return result;
  }

  /**
   * The span exporter's counters ({@code sluice_tracing_spans_exported_total}, {@code
   * sluice_tracing_spans_dropped_total{reason}}), registered at the first call: ask for them only when tracing
   * exports spans, so a gateway without span export shows none.
   */
  public synchronized SpanExports tracingExports() {
    TracingMeters meters = tracing;
    if (meters == null) {
      meters = new TracingMeters(registry);
      tracing = meters;
    }
    return meters;
  }

  /** Reports {@code connections} (open proxy connections) as a gauge. */
  public void connections(AtomicInteger connections) {
    Gauge.builder("sluice.connections", connections, AtomicInteger::get)
        .description("Open client connections on the proxy listener").register(registry);
  }

  /** Reports requests in flight (routed, not yet finished) as a gauge, read at a scrape. */
  public void inFlight(IntSupplier inFlight) {
    Gauge.builder("sluice.requests.in.flight", inFlight, IntSupplier::getAsInt)
        .description("Requests being handled: routed and not finished").strongReference(true).register(registry);
  }

  @Override
  public void applied(String version, GatewayConfig config, PluginGeneration plugins) {
    reloadsApplied.increment();
  }

  @Override
  public void refused(String version, List<String> problems) {
    reloadsRefused.increment();
  }

  @Override
  public void pluginsInstalled(PluginGeneration plugins) {
    pluginReloadsApplied.increment();
  }

  @Override
  public void pluginsRefused(List<String> problems) {
    pluginReloadsRefused.increment();
  }

  @Override
  public void scriptsReloaded(boolean applied) {
    (applied ? scriptReloadsApplied : scriptReloadsRefused).increment();
  }

  /**
   * The content type to answer an {@code Accept} header with: OpenMetrics when the scraper asks for it (as
   * Prometheus does when it prefers it), else the Prometheus text format.
   */
  public static String contentType(@Nullable String accept) {
    return accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS_TEXT : PROMETHEUS_TEXT;
  }

  /** Every meter in the format of {@code contentType} (one of the two above). Blocking work: not on an event loop. */
  public String scrape(String contentType) {
    return prometheus.scrape(contentType);
  }

  /** How many meters are registered (tests: nothing leaks across reloads). */
  public int meterCount() {
    return prometheus.getMeters().size();
  }

  @Override
  public void close() {
    gc.close();
    if (otlp != null) {
      otlp.close(); // publishes what it has once more, then stops
    }
    registry.close();
    prometheus.close();
  }
}
