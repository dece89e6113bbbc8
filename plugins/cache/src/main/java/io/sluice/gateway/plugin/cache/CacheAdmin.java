// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.cache;

import io.sluice.gateway.api.Rejection;
import io.sluice.gateway.api.admin.AdminEndpoint;
import io.sluice.gateway.api.admin.AdminRequest;
import io.sluice.gateway.api.admin.AdminResponse;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /admin/cache}: purge, and a look at the purge rules in force.
 *
 * <ul>
 *   <li>{@code DELETE /admin/cache/<route>?url=<url>}: one URL, as the policy keys it (method GET/HEAD, host,
 *       path, query). Deleted from the shared store at once when the route keys on nothing else; marked (a URL
 *       rule, every header/consumer variant) when it keys on {@code keyHeaders} or {@code keyConsumer}.
 *   <li>{@code DELETE /admin/cache/<route>?prefix=/p} (or no parameter: the whole route), {@code DELETE
 *       /admin/cache?prefix=/p} (every route): a prefix rule.
 *   <li>{@code DELETE /admin/cache[/<route>]?tag=t}: a tag rule, for entries the upstream tagged in {@code
 *       tagHeader}.
 *   <li>{@code GET /admin/cache}: the cached routes and the rules in force on this node.
 * </ul>
 */
final class CacheAdmin implements AdminEndpoint {

  private static final Logger log = LoggerFactory.getLogger(CacheAdmin.class);

  private final Map<String, CachePolicy> routes;
  private final Supplier<@Nullable Purges> purges;

  CacheAdmin(Map<String, CachePolicy> routes, Supplier<@Nullable Purges> purges) {
    this.routes = routes;
    this.purges = purges;
  }

  @Override
  public Future<AdminResponse> handle(AdminRequest request) {
    String path = request.path();
    String route = path.isEmpty() || path.equals("/") ? null : path.substring(1);
    if (route != null && route.contains("/")) {
      return refuse(404, "CACHE_NOT_FOUND", "no cache endpoint " + path + " (use /admin/cache or /admin/cache/<route>)");
    }
    if (route != null && !routes.containsKey(route)) {
      return refuse(404, "CACHE_ROUTE_UNKNOWN", "no route '" + route + "' uses the cache policy");
    }
    if (request.method() == HttpMethod.GET) {
      return Future.succeededFuture(AdminResponse.ok(describe(route)));
    }
    if (request.method() != HttpMethod.DELETE) {
      return Future.succeededFuture(AdminResponse.rejected(Rejection.of(405, "CACHE_METHOD_NOT_ALLOWED")
          .message(request.method().name() + " is not allowed here (GET, DELETE)").header("Allow", "DELETE, GET")));
    }
    MultiMap q = request.query();
    int given = (q.contains("url") ? 1 : 0) + (q.contains("prefix") ? 1 : 0) + (q.contains("tag") ? 1 : 0);
    if (given > 1) {
      return refuse(400, "CACHE_PURGE_INVALID", "give one of url, prefix, tag");
    }
    Purges rules = purges.get();
    if (rules == null) {
      return refuse(404, "CACHE_ROUTE_UNKNOWN", "no route uses the cache policy");
    }
    String tag = q.get("tag");
    if (tag != null) {
      if (tag.isBlank()) {
        return refuse(400, "CACHE_PURGE_INVALID", "tag must not be empty");
      }
      return mark(rules, route, PurgeRule.Kind.TAG, tag.trim(), "tag");
    }
    String url = q.get("url");
    if (url != null) {
      if (route == null) {
        return refuse(400, "CACHE_PURGE_INVALID", "purge by url needs the route: DELETE /admin/cache/<route>?url=...");
      }
      return purgeUrl(rules, route, url, q.get("host"));
    }
    String prefix = q.get("prefix");
    if (prefix == null && route == null) {
      return refuse(400, "CACHE_PURGE_INVALID", "name what to purge: url, prefix or tag (prefix=/ for everything)");
    }
    prefix = prefix == null ? "/" : prefix;
    if (!prefix.startsWith("/")) {
      return refuse(400, "CACHE_PURGE_INVALID", "prefix must start with /");
    }
    return mark(rules, route, PurgeRule.Kind.PREFIX, prefix, "prefix");
  }

  private Future<AdminResponse> purgeUrl(Purges rules, String route, String url, @Nullable String hostParam) {
    URI u;
    try {
      u = URI.create(url.trim());
    } catch (IllegalArgumentException e) {
      return refuse(400, "CACHE_PURGE_INVALID", "url is not a URL or a path");
    }
    String path = u.getRawPath();
    if (path == null || !path.startsWith("/")) {
      return refuse(400, "CACHE_PURGE_INVALID", "url must be absolute (http://host/path) or a path (/path)");
    }
    CachePolicy policy = routes.get(route);
    CacheKeys keys = policy.keys();
    String host = u.getHost() != null ? u.getHost() : hostParam;
    if (host == null && keys.keysHost()) {
      return refuse(400, "CACHE_PURGE_INVALID", "route '" + route + "' keys on the host: give an absolute url or host=");
    }
    String query = u.getRawQuery();
    MultiMap params = MultiMap.caseInsensitiveMultiMap();
    if (query != null) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        // decoded, as the request's own query parameters are when the policy keys on a subset (keyQuery)
        params.add(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
      }
    }
    String key = keys.url(host == null ? "" : host.toLowerCase(Locale.ROOT), path, query, params).toString();
    if (keys.keysOnCaller()) {
      return mark(rules, route, PurgeRule.Kind.URL, key, "url").map(r -> {
        JsonObject body = r.body();
        if (body != null) {
          body.put("value", url);
        }
        return r;
      });
    }
    return policy.cache().invalidate(key).transform(ar -> {
      if (ar.failed()) {
        return unavailable(ar.cause());
      }
      return Future.succeededFuture(AdminResponse.ok(new JsonObject()
          .put("purged", "url").put("route", route).put("url", url).put("deleted", true)));
    });
  }

  private Future<AdminResponse> mark(Purges rules, @Nullable String route, PurgeRule.Kind kind, String value,
      String what) {
    return rules.add(route == null ? "*" : route, kind, value).transform(ar -> {
      if (ar.failed()) {
        return unavailable(ar.cause());
      }
      PurgeRule r = ar.result();
      return Future.succeededFuture(AdminResponse.ok(new JsonObject()
          .put("purged", what).put("route", r.route()).put("value", value)
          .put("marked", true).put("rule", r.seq())));
    });
  }

  private static String decode(String s) {
    try {
      return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s; // a malformed escape: kept as sent, as the gateway's own query parsing does not reject it either
    }
  }

  private static Future<AdminResponse> unavailable(Throwable cause) {
    log.warn("cache purge failed: the cluster store did not answer: {}", cause.toString());
    return refuse(503, "CACHE_UNAVAILABLE", "the cluster store did not answer; nothing was purged, retry");
  }

  private JsonObject describe(@Nullable String route) {
    Purges rules = purges.get();
    JsonArray list = new JsonArray();
    if (rules != null) {
      for (PurgeRule r : rules.rules()) {
        if (route == null || r.route().equals(route) || r.route().equals("*")) {
          JsonObject j = r.toJson().put("rule", r.seq());
          if (r.kind() == PurgeRule.Kind.URL) {
            j.put("value", r.value().replace('\u0000', ' '));
          }
          list.add(j);
        }
      }
    }
    JsonObject doc = new JsonObject();
    if (route == null) {
      doc.put("routes", new JsonArray(List.copyOf(new TreeSet<>(routes.keySet()))));
    } else {
      doc.put("route", route);
    }
    return doc.put("rules", list);
  }

  private static Future<AdminResponse> refuse(int status, String key, String message) {
    return Future.succeededFuture(AdminResponse.rejected(Rejection.of(status, key).message(message)));
  }
}
