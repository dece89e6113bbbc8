// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The whole configuration file. {@code policies} apply to every route, before the route's own policies of the
 * same stage. {@code consumers} are the
 * callers authentication policies recognise (docs/authentication.md). Every section is optional; an empty file gives a gateway on port 8080 with no
 * routes.
 */
public record GatewayConfig(
    ServerConfig server,
    AdminConfig admin,
    HealthConfig health,
    AccessLogConfig accessLog,
    ReloadConfig reload,
    EchoConfig echo,
    PluginsConfig plugins,
    ScriptsConfig scripts,
    ClusterConfig cluster,
    MetricsConfig metrics,
    AnalyticsConfig analytics,
    Map<String, UpstreamConfig> upstreams,
    List<PolicyConfig> policies,
    List<RouteConfig> routes,
    List<ConsumerConfig> consumers,
    TracingConfig tracing) {

  public GatewayConfig(
      @Nullable ServerConfig server,
      @Nullable AdminConfig admin,
      @Nullable HealthConfig health,
      @Nullable AccessLogConfig accessLog,
      @Nullable ReloadConfig reload,
      @Nullable EchoConfig echo,
      @Nullable PluginsConfig plugins,
      @Nullable ScriptsConfig scripts,
      @Nullable ClusterConfig cluster,
      @Nullable MetricsConfig metrics,
      @Nullable AnalyticsConfig analytics,
      @Nullable Map<String, UpstreamConfig> upstreams,
      @Nullable List<PolicyConfig> policies,
      @Nullable List<RouteConfig> routes,
      @Nullable List<ConsumerConfig> consumers,
      @Nullable TracingConfig tracing) {
    this.server = server != null ? server : ServerConfig.defaults();
    this.admin = admin != null ? admin : AdminConfig.defaults();
    this.health = health != null ? health : HealthConfig.defaults();
    this.accessLog = accessLog != null ? accessLog : AccessLogConfig.defaults();
    this.reload = reload != null ? reload : ReloadConfig.defaults();
    this.echo = echo != null ? echo : EchoConfig.defaults();
    this.plugins = plugins != null ? plugins : PluginsConfig.defaults();
    this.scripts = scripts != null ? scripts : ScriptsConfig.defaults();
    this.cluster = cluster != null ? cluster : ClusterConfig.defaults();
    this.metrics = metrics != null ? metrics : MetricsConfig.defaults();
    this.analytics = analytics != null ? analytics : AnalyticsConfig.defaults();
    this.upstreams = upstreams != null ? Map.copyOf(upstreams) : Map.of();
    this.policies = policies != null ? List.copyOf(policies) : List.of();
    this.routes = routes != null ? List.copyOf(routes) : List.of();
    this.consumers = consumers != null ? List.copyOf(consumers) : List.of();
    this.tracing = tracing != null ? tracing : TracingConfig.defaults();
  }
}
