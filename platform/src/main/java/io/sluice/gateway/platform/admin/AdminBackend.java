// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.admin;

import io.sluice.gateway.platform.analytics.GatewayAnalytics;
import io.sluice.gateway.platform.metrics.GatewayMetrics;
import io.sluice.gateway.platform.plugin.PluginGeneration;
import io.sluice.gateway.platform.policy.PolicyRegistry;
import io.sluice.gateway.platform.reload.ReloadRefused;
import io.sluice.gateway.platform.route.RouteTable;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What the admin API reads from, and asks of, the running gateway. The admin package turns these into its
 * endpoints and their JSON. The getters are cheap and safe on an event loop; the reloads run on a worker.
 */
public interface AdminBackend {

  /** The platform version, e.g. {@code 0.1.0-SNAPSHOT}. */
  String version();

  Instant startedAt();

  /** How JavaScript policies run: {@code GraalVM CE}, {@code Interpreted} or {@code not started}. */
  String scriptEngine();

  /** The route table serving new requests. */
  RouteTable routes();

  /** The plugin generation serving new requests. */
  PluginGeneration plugins();

  /** Superseded plugin generations still serving requests in flight. */
  int retiringPluginGenerations();

  /** The policy types routes can use with {@code generation}: its plugins' and the platform's own. */
  PolicyRegistry policyTypes(PluginGeneration generation);

  /** Reloads the configuration; fails with {@link ReloadRefused} when it is refused. */
  Future<RouteTable> reloadConfiguration(String trigger);

  /** Reloads the plugins directory; fails with {@link ReloadRefused} when the new plugins are refused. */
  Future<PluginGeneration> reloadPlugins(String trigger);

  /** The cluster: members, each one's configuration and plugins, drift, state sizes (read on a worker). */
  default Future<JsonObject> cluster() {
    return Future.succeededFuture(new JsonObject().put("backend", "local"));
  }

  /** This node's recent reload outcomes and serving configuration version, for {@code GET /admin/reloads}. */
  default JsonObject reloads() {
    return new JsonObject().put("config", null).put("reloads", new io.vertx.core.json.JsonArray());
  }

  /** The gateway's metrics for {@code GET /metrics}, or null when {@code metrics.enabled} is false. */
  default @Nullable GatewayMetrics metrics() {
    return null;
  }

  /** The usage analytics for {@code GET /admin/analytics}, or null when {@code analytics.enabled} is false. */
  default @Nullable GatewayAnalytics analytics() {
    return null;
  }
}
