// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.admin;

import io.sluice.gateway.platform.analytics.AnalyticsQuery;
import io.sluice.gateway.platform.analytics.BadAnalyticsQuery;
import io.sluice.gateway.platform.analytics.GatewayAnalytics;
import io.sluice.gateway.platform.metrics.GatewayMetrics;
import io.sluice.gateway.platform.plugin.PluginGeneration;
import io.sluice.gateway.platform.route.Route;
import io.sluice.gateway.platform.upstream.Upstream;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/** The admin endpoints and their JSON documents (documented in docs/configuration.md, "admin"). */
final class AdminEndpoints {

  private final AdminBackend backend;

  AdminEndpoints(AdminBackend backend) {
    this.backend = backend;
  }

  void register(AdminRouter router) {
    router
        .endpoint(HttpMethod.GET, "/admin/health", json(ctx -> Future.succeededFuture(health())))
        .endpoint(HttpMethod.GET, "/admin/routes",
            json(ctx -> Future.succeededFuture(RouteDescriptions.describe(backend.routes()))))
        .endpoint(HttpMethod.GET, "/admin/routes/:id", json(ctx -> Future.succeededFuture(route(ctx.pathParam("id")))))
        .endpoint(HttpMethod.GET, "/admin/upstreams", json(ctx -> Future.succeededFuture(upstreams())))
        .endpoint(HttpMethod.GET, "/admin/upstreams/:name",
            json(ctx -> Future.succeededFuture(upstream(ctx.pathParam("name")))))
        .endpoint(HttpMethod.GET, "/admin/plugins", json(ctx -> Future.succeededFuture(plugins())))
        .endpoint(HttpMethod.GET, "/admin/cluster", json(ctx -> backend.cluster()))
        .endpoint(HttpMethod.GET, "/admin/reloads", json(ctx -> Future.succeededFuture(backend.reloads())))
        .endpoint(HttpMethod.GET, "/metrics", this::metrics)
        .endpoint(HttpMethod.GET, "/admin/analytics", this::analytics)
        .endpoint(HttpMethod.POST, "/admin/plugins/reload", json(ctx -> backend.reloadPlugins("admin API")
            .map(generation -> new JsonObject()
                .put("status", "reloaded")
                .put("generation", generation.number())
                .put("plugins", generation.describe()))))
        .endpoint(HttpMethod.POST, "/admin/reload", json(ctx -> backend.reloadConfiguration("admin API")
            .map(table -> new JsonObject().put("status", "reloaded").put("routes", table.routes().size()))));
  }

  /**
   * {@code GET /metrics}: every meter as Prometheus text, or OpenMetrics when the scraper's {@code Accept} asks
   * for it. Rendering walks every meter, so it runs on a worker.
   */
  private void metrics(RoutingContext ctx) {
    GatewayMetrics metrics = backend.metrics();
    if (metrics == null) {
      ctx.fail(new AdminError(404, "METRICS_DISABLED", "metrics are off in this gateway (metrics.enabled: false)"));
      return;
    }
    String type = GatewayMetrics.contentType(ctx.request().getHeader("Accept"));
    ctx.vertx().executeBlocking(() -> metrics.scrape(type), false).onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.response().putHeader("Content-Type", type).end(ar.result());
      } else {
        ctx.fail(ar.cause());
      }
    });
  }

  /**
   * {@code GET /admin/analytics}: usage over a range, merged across the cluster's nodes (docs/observability.md).
   * The merge reads the other nodes' buckets, so it runs on a worker.
   */
  private void analytics(RoutingContext ctx) {
    GatewayAnalytics analytics = backend.analytics();
    if (analytics == null) {
      ctx.fail(new AdminError(404, "ANALYTICS_DISABLED", "analytics are off in this gateway (analytics.enabled: false)"));
      return;
    }
    AnalyticsQuery query;
    try {
      query = AnalyticsQuery.parse(ctx.queryParams(), analytics.clock().instant());
    } catch (BadAnalyticsQuery e) {
      ctx.fail(new AdminError(400, "ANALYTICS_BAD_QUERY", e.getMessage()));
      return;
    }
    json(c -> c.vertx().executeBlocking(() -> analytics.query(query), false)).handle(ctx);
  }

  /** An endpoint answering a JSON document; a failure (or a throw) goes to the router's failure handler. */
  private static Handler<RoutingContext> json(Function<RoutingContext, Future<JsonObject>> endpoint) {
    return ctx -> endpoint.apply(ctx).onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.response().putHeader("Content-Type", "application/json").end(ar.result().encodePrettily() + "\n");
      } else {
        ctx.fail(ar.cause());
      }
    });
  }

  private JsonObject health() {
    Instant startedAt = backend.startedAt();
    return new JsonObject()
        .put("status", "UP")
        .put("version", backend.version())
        .put("startedAt", startedAt.toString())
        .put("uptimeSeconds", Duration.between(startedAt, Instant.now()).toSeconds())
        .put("routes", backend.routes().routes().size())
        .put("scriptEngine", backend.scriptEngine())
        .put("javaVersion", Runtime.version().toString());
  }

  private JsonObject route(String id) {
    for (Route r : backend.routes().routes()) {
      if (r.id().equals(id)) {
        return RouteDescriptions.describe(r);
      }
    }
    throw new AdminError(404, "ADMIN_NOT_FOUND", "no route '" + id + "'");
  }

  private JsonObject upstreams() {
    JsonArray list = new JsonArray();
    backend.routes().upstreams().all().forEach(u -> list.add(u.describe()));
    return new JsonObject().put("upstreams", list);
  }

  /** A named upstream, or one made for a URL (its name is the URL, percent-encoded in the path). */
  private JsonObject upstream(String name) {
    for (Upstream u : backend.routes().upstreams().all()) {
      if (u.name().equals(name)) {
        return u.describe();
      }
    }
    throw new AdminError(404, "ADMIN_NOT_FOUND", "no upstream '" + name + "'");
  }

  private JsonObject plugins() {
    PluginGeneration current = backend.plugins();
    return new JsonObject()
        .put("generation", current.number())
        .put("retiringGenerations", backend.retiringPluginGenerations())
        .put("plugins", current.describe())
        .put("policyTypes", RouteDescriptions.policyTypes(backend.policyTypes(current)));
  }
}
