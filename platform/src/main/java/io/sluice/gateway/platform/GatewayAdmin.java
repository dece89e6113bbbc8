// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import io.sluice.gateway.platform.admin.AdminBackend;
import io.sluice.gateway.platform.admin.ReloadHistory;
import io.sluice.gateway.platform.analytics.GatewayAnalytics;
import io.sluice.gateway.platform.metrics.GatewayMetrics;
import io.sluice.gateway.platform.plugin.PluginGeneration;
import io.sluice.gateway.platform.plugin.PluginHost;
import io.sluice.gateway.platform.policy.PolicyRegistry;
import io.sluice.gateway.platform.proxy.RoutingSnapshot;
import io.sluice.gateway.platform.reload.LiveRouting;
import io.sluice.gateway.platform.reload.Reloader;
import io.sluice.gateway.platform.route.RouteTable;
import io.sluice.gateway.platform.script.ScriptEngineHolder;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** The running gateway as the admin API sees it: reads its parts, and hands reloads to the {@link Reloader}. */
final class GatewayAdmin implements AdminBackend {

  private final Instant startedAt;
  private final ScriptEngineHolder scriptEngine;
  private final LiveRouting routing;
  private final PluginHost plugins;
  private final Function<PluginGeneration, PolicyRegistry> registries;
  private final Reloader reloader;
  private final Supplier<Future<JsonObject>> cluster;
  private final @Nullable GatewayMetrics metrics;
  private final @Nullable GatewayAnalytics analytics;
  private final ReloadHistory reloadHistory;

  GatewayAdmin(Instant startedAt, ScriptEngineHolder scriptEngine, LiveRouting routing, PluginHost plugins,
      Function<PluginGeneration, PolicyRegistry> registries, Reloader reloader,
      Supplier<Future<JsonObject>> cluster, @Nullable GatewayMetrics metrics, @Nullable GatewayAnalytics analytics,
      ReloadHistory reloadHistory) {
    this.analytics = analytics;
    this.reloadHistory = reloadHistory;
    this.cluster = cluster;
    this.metrics = metrics;
    this.startedAt = startedAt;
    this.scriptEngine = scriptEngine;
    this.routing = routing;
    this.plugins = plugins;
    this.registries = registries;
    this.reloader = reloader;
  }

  @Override
  public @Nullable GatewayMetrics metrics() {
    return metrics;
  }

  @Override
  public @Nullable GatewayAnalytics analytics() {
    return analytics;
  }

  @Override
  public JsonObject reloads() {
    return reloadHistory.describe();
  }

  @Override
  public Future<JsonObject> cluster() {
    return cluster.get();
  }

  @Override
  public String version() {
    return Gateway.version();
  }

  @Override
  public Instant startedAt() {
    return startedAt;
  }

  @Override
  public String scriptEngine() {
    return scriptEngine.describe();
  }

  @Override
  public RouteTable routes() {
    return snapshot().routes();
  }

  @Override
  public PluginGeneration plugins() {
    return snapshot().plugins();
  }

  @Override
  public int retiringPluginGenerations() {
    return plugins.retiringCount();
  }

  @Override
  public PolicyRegistry policyTypes(PluginGeneration generation) {
    return registries.apply(generation);
  }

  private RoutingSnapshot snapshot() {
    return Objects.requireNonNull(routing.current(), "the gateway has not started");
  }

  @Override
  public Future<RouteTable> reloadConfiguration(String trigger) {
    return reloader.reloadConfiguration(trigger);
  }

  @Override
  public Future<PluginGeneration> reloadPlugins(String trigger) {
    return reloader.reloadPlugins(trigger);
  }
}
