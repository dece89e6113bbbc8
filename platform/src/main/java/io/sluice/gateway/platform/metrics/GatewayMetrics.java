// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.metrics;

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
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.gateway.platform.config.GatewayConfig;
import io.sluice.gateway.platform.config.RouteConfig;
import io.sluice.gateway.platform.exchange.ExchangeListener;
import io.sluice.gateway.platform.plugin.PluginGeneration;
import io.sluice.gateway.platform.reload.Reloader;
import io.sluice.gateway.platform.upstream.UpstreamListener;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's metrics: one Micrometer registry with the exchange meters, configuration reloads, and the
 * JVM's own meters, scraped as Prometheus text or OpenMetrics. Meters are made when a route first serves (and
 * removed with it), never looked up per request; scraping runs off the event loop.
 */
public final class GatewayMetrics implements Reloader.Listener, AutoCloseable {

  /** The content type of the Prometheus text format, version 0.0.4. */
  public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /** The content type of OpenMetrics 1.0 text. */
  public static final String OPENMETRICS_TEXT = "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ExchangeMeters exchanges = new ExchangeMeters(registry);
  private final UpstreamMeters upstreams = new UpstreamMeters(registry);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Counter reloadsApplied;
  private final Counter reloadsRefused;
  private final Counter pluginGenerations;

  public GatewayMetrics(String version) {
    registry.config().commonTags("service", "sluice");
    registry.gauge("sluice.info", List.of(Tag.of("version", version)), 1);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    reloadsApplied = Counter.builder("sluice.config.reloads").description("Configurations applied, the first included")
        .tag("outcome", "applied").register(registry);
    reloadsRefused = Counter.builder("sluice.config.reloads").description("Configurations applied, the first included")
        .tag("outcome", "refused").register(registry);
    pluginGenerations = Counter.builder("sluice.plugin.reloads").description("Plugin generations installed")
        .register(registry);
  }

  /** The registry, for meters of the gateway's other parts (upstreams, connections). */
  public MeterRegistry registry() {
    return registry;
  }

  /** Counts every finished exchange; hand it to the proxy. */
  public ExchangeListener exchanges() {
    return exchanges;
  }

  /** Counts upstream attempts and ejections; register it on the upstream registry before compiling. */
  public UpstreamListener upstreams() {
    return upstreams;
  }

  /** Reports {@code connections} (open proxy connections) as a gauge. */
  public void connections(AtomicInteger connections) {
    Gauge.builder("sluice.connections", connections, AtomicInteger::get)
        .description("Open client connections on the proxy listener").register(registry);
  }

  @Override
  public void applied(String version, GatewayConfig config, PluginGeneration plugins) {
    reloadsApplied.increment();
    exchanges.retain(config.routes().stream().map(RouteConfig::id).toList());
  }

  @Override
  public void refused(String version, List<String> problems) {
    reloadsRefused.increment();
  }

  @Override
  public void pluginsInstalled(PluginGeneration plugins) {
    pluginGenerations.increment();
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
    return registry.scrape(contentType);
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
