// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.admin;

import io.sluice.gateway.api.config.DurationParser;
import io.sluice.gateway.platform.config.RouteConfig;
import io.sluice.gateway.platform.policy.ChainEntry;
import io.sluice.gateway.platform.policy.PolicyRegistry;
import io.sluice.gateway.platform.route.Route;
import io.sluice.gateway.platform.route.RouteTable;
import io.sluice.gateway.platform.upstream.Target;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The effective route table as JSON, for {@code GET /admin/routes}. */
final class RouteDescriptions {

  private RouteDescriptions() {}

  static JsonObject describe(RouteTable table) {
    JsonArray routes = new JsonArray();
    for (Route r : table.routes()) {
      routes.add(describe(r));
    }
    return new JsonObject().put("routes", routes);
  }

  static JsonObject describe(Route r) {
    RouteConfig c = r.config();
    JsonArray targets = new JsonArray();
    for (var state : r.upstream().targets()) {
      Target t = state.target();
      targets.add(new JsonObject().put("url", t.toString()).put("weight", t.weight()));
    }
    JsonObject json = new JsonObject()
        .put("id", r.id())
        .put("hosts", new JsonArray(c.hosts()))
        .put("path", c.path())
        .put("methods", new JsonArray(r.methods().stream().map(m -> m.name()).toList()))
        .put("headers", new JsonObject(new java.util.LinkedHashMap<>(c.headers())))
        .put("query", new JsonObject(new java.util.LinkedHashMap<>(c.query())))
        .put("upstream", new JsonObject()
            .put("name", r.upstream().name())
            .put("basePath", r.upstream().basePath())
            .put("targets", targets))
        .put("stripPrefix", c.stripPrefix())
        .put("rewrite", c.rewrite())
        .put("preserveHost", c.preserveHost())
        .put("upstreamHost", c.upstreamHost())
        .put("timeouts", new JsonObject()
            .put("connect", DurationParser.format(r.timeouts().connect()))
            .put("response", DurationParser.format(r.timeouts().response()))
            .put("total", DurationParser.format(r.timeouts().total()))
            .put("idle", DurationParser.format(r.timeouts().idle()))
            .put("policy", DurationParser.format(r.timeouts().policy())))
        .put("maxBodySize", r.maxBodySize())
        .put("policies", policies(r));
    return json;
  }

  /** The effective chain in request order: the response path runs it backwards. */
  private static JsonArray policies(Route r) {
    JsonArray chain = new JsonArray();
    for (ChainEntry e : r.chain().entries()) {
      chain.add(new JsonObject()
          .put("type", e.type())
          .put("stage", e.stage().name().toLowerCase(java.util.Locale.ROOT))
          .put("source", e.source())
          .put("config", io.vertx.core.json.Json.decodeValue(e.config().toString())));
    }
    return chain;
  }

  static JsonArray policyTypes(PolicyRegistry registry) {
    JsonArray types = new JsonArray();
    registry.all().stream()
        .sorted(java.util.Comparator.comparing(f -> f.factory().type()))
        .forEach(f -> types.add(new JsonObject()
            .put("type", f.factory().type())
            .put("stage", f.factory().stage().name().toLowerCase(java.util.Locale.ROOT))
            .put("source", f.source())));
    return types;
  }
}
