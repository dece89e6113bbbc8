// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.api.config.ConfigException;
import io.sluice.gateway.platform.config.ConfigLoader;
import io.sluice.gateway.platform.config.GatewayConfig;
import io.sluice.gateway.platform.config.InvalidConfigException;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {

  private static RouteTable table(String routes) {
    GatewayConfig config = new ConfigLoader(name -> null).parse("""
        upstreams:
          app: { targets: ["http://127.0.0.1:1"] }
        routes:
        """ + routes, "test.yaml");
    return RouteTable.compile(config, "test.yaml");
  }

  private static RouteLookup lookup(RouteTable table, String host, HttpMethod method, String path) {
    return table.lookup(host, method, path, MultiMap.caseInsensitiveMultiMap(), null);
  }

  private static String routeId(RouteTable table, String path) {
    RouteLookup l = lookup(table, "any.host", HttpMethod.GET, path);
    return l instanceof RouteLookup.Found f ? f.route().id() : l.getClass().getSimpleName();
  }

  @Test
  void literalBeatsParamBeatsCatchAll() {
    RouteTable t = table("""
          - { id: all, path: "/**", upstream: app }
          - { id: tree, path: "/users/**", upstream: app }
          - { id: by-id, path: "/users/{id}", upstream: app }
          - { id: me, path: "/users/me", upstream: app }
          - { id: orders, path: "/users/{id}/orders", upstream: app }
          - { id: root, path: "/", upstream: app }
        """);
    assertThat(routeId(t, "/users/me")).isEqualTo("me");
    assertThat(routeId(t, "/users/7")).isEqualTo("by-id");
    assertThat(routeId(t, "/users/7/orders")).isEqualTo("orders");
    assertThat(routeId(t, "/users/me/orders")).as("backtracks from the literal to the param").isEqualTo("orders");
    assertThat(routeId(t, "/users/7/other")).isEqualTo("tree");
    assertThat(routeId(t, "/users")).isEqualTo("tree");
    assertThat(routeId(t, "/users/")).as("an empty segment is not a param").isEqualTo("tree");
    assertThat(routeId(t, "/")).isEqualTo("root");
    assertThat(routeId(t, "/else")).isEqualTo("all");
  }

  @Test
  void constrainedRoutesBeatUnconstrainedOnesOnTheSamePath() {
    RouteTable t = table("""
          - { id: plain, path: /items, upstream: app }
          - { id: v2, path: /items, headers: { X-Version: "2" }, upstream: app }
          - { id: preview, path: /items, query: { preview: "true" }, upstream: app }
        """);
    assertThat(t.usesQuery()).isTrue();
    MultiMap v2 = MultiMap.caseInsensitiveMultiMap().add("x-version", "2");
    MultiMap preview = MultiMap.caseInsensitiveMultiMap().add("preview", "true");
    MultiMap none = MultiMap.caseInsensitiveMultiMap();
    assertThat(((RouteLookup.Found) t.lookup("h", HttpMethod.GET, "/items", v2, none)).route().id()).isEqualTo("v2");
    assertThat(((RouteLookup.Found) t.lookup("h", HttpMethod.GET, "/items", none, preview)).route().id()).isEqualTo("preview");
    assertThat(((RouteLookup.Found) t.lookup("h", HttpMethod.GET, "/items", none, none)).route().id()).isEqualTo("plain");
  }

  @Test
  void equalRoutesKeepConfigurationOrder() {
    RouteTable t = table("""
          - { id: first, path: "/a/{x}", upstream: app }
          - { id: second, path: "/a/{y}", upstream: app }
        """);
    assertThat(routeId(t, "/a/1")).isEqualTo("first");
  }

  @Test
  void tellsMethodNotAllowedFromNotFound() {
    RouteTable t = table("""
          - { id: read, path: "/items/{id}", methods: [GET, HEAD], upstream: app }
          - { id: write, path: "/items/{id}", methods: [PUT], upstream: app }
        """);
    RouteLookup l = lookup(t, "h", HttpMethod.DELETE, "/items/1");
    assertThat(l).isInstanceOfSatisfying(RouteLookup.MethodNotAllowed.class,
        m -> assertThat(m.allowed()).containsExactlyInAnyOrder(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.PUT));
    assertThat(lookup(t, "h", HttpMethod.DELETE, "/nothing")).isInstanceOf(RouteLookup.NotFound.class);
    assertThat(lookup(t, "h", HttpMethod.PUT, "/items/1")).isInstanceOfSatisfying(RouteLookup.Found.class,
        f -> assertThat(f.route().id()).isEqualTo("write"));
  }

  @Test
  void matchesExactThenWildcardThenAnyHost() {
    RouteTable t = table("""
          - { id: any, path: "/x", upstream: app }
          - { id: exact, hosts: [api.example.com], path: "/x", upstream: app }
          - { id: wide, hosts: ["*.example.com"], path: "/x", upstream: app }
          - { id: narrow, hosts: ["*.eu.example.com"], path: "/x", upstream: app }
        """);
    assertThat(id(lookup(t, "api.example.com", HttpMethod.GET, "/x"))).isEqualTo("exact");
    assertThat(id(lookup(t, "shop.example.com", HttpMethod.GET, "/x"))).isEqualTo("wide");
    assertThat(id(lookup(t, "shop.eu.example.com", HttpMethod.GET, "/x"))).isEqualTo("narrow");
    assertThat(id(lookup(t, "example.com", HttpMethod.GET, "/x"))).isEqualTo("any");
    assertThat(id(lookup(t, "other.org", HttpMethod.GET, "/x"))).isEqualTo("any");
  }

  @Test
  void capturesParamsAndTheCatchAll() {
    RouteTable t = table("""
          - { id: files, path: "/repos/{owner}/{repo}/files/{*path}", upstream: app, rewrite: "/{owner}/{repo}/raw/{path}" }
          - { id: strip, path: "/static/**", upstream: app, stripPrefix: true }
        """);
    RouteLookup.Found f = (RouteLookup.Found) lookup(t, "h", HttpMethod.GET, "/repos/acme/web/files/src/main.js");
    assertThat(f.captures()).isEqualTo(Map.of("owner", "acme", "repo", "web", "path", "src/main.js"));
    assertThat(f.route().upstreamPath("/repos/acme/web/files/src/main.js", f.captures()))
        .isEqualTo("/acme/web/raw/src/main.js");
    RouteLookup.Found s = (RouteLookup.Found) lookup(t, "h", HttpMethod.GET, "/static/a/b.css");
    assertThat(s.route().upstreamPath("/static/a/b.css", s.captures())).isEqualTo("/a/b.css");
  }

  @Test
  void mapsAPathOfTheRouteToItsUpstreamUriAndRefusesOthers() {
    // Route.upstreamUri: for requests a policy sends itself, the same mapping as a proxied request's
    RouteTable t = table("""
          - { id: files, path: "/repos/{owner}/{repo}/files/{*path}", upstream: app, rewrite: "/{owner}/{repo}/raw/{path}" }
          - { id: strip, path: "/static/**", upstream: app, stripPrefix: true }
          - { id: exact, path: "/items/{id}", upstream: app }
        """);
    Route files = t.routes().get(0);
    Route strip = t.routes().get(1);
    Route exact = t.routes().get(2);
    assertThat(files.upstreamUri("/repos/acme/web/files/src/main.js?v=2")).isEqualTo("/acme/web/raw/src/main.js?v=2");
    assertThat(strip.upstreamUri("/static/a/b.css")).isEqualTo("/a/b.css");
    assertThat(strip.upstreamUri("/static")).isEqualTo("/");
    assertThat(exact.upstreamUri("/items/7?x")).isEqualTo("/items/7?x");
    assertThat(exact.upstreamUri("/items/7/more")).isNull();
    assertThat(exact.upstreamUri("/items/")).as("an empty segment is not a parameter").isNull();
    assertThat(exact.upstreamUri("/other/7")).isNull();
    assertThat(strip.upstreamUri("/statics/a")).isNull();
    assertThat(strip.upstreamUri("relative")).isNull();
  }

  @Test
  void findsOneRouteAmongManyThousands() {
    StringBuilder routes = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      routes.append("  - { id: r").append(i).append(", path: \"/svc").append(i).append("/{id}/items/**\", upstream: app }\n");
    }
    RouteTable t = table(routes.toString());
    assertThat(routeId(t, "/svc9876/42/items/a/b")).isEqualTo("r9876");
    assertThat(routeId(t, "/svc10000/42/items")).isEqualTo("NotFound");
  }

  @Test
  void refusesBadRoutesWithThePathOfTheField() {
    assertThatThrownBy(() -> table("""
          - { id: a, path: "/a/**", upstream: ap }
          - { id: b, path: "/b", upstream: app, stripPrefix: true }
          - { id: c, path: "/c/{id}", upstream: app, rewrite: "/x/{name}" }
          - { id: d, path: "/d/**/e", upstream: app }
          - { id: d, path: "/d", upstream: app }
          - { id: f, path: "/f", methods: ["GE T"], upstream: app }
          - { id: g, path: "/g", hosts: ["Bad.Host:80"], upstream: app }
          - { id: h, path: "/h", upstream: "ftp://x" }
        """))
        .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
            .extracting(ConfigException::getMessage)
            .containsExactly(
                "routes[a].upstream: unknown upstream 'ap' (did you mean 'app'?)",
                "routes[b].stripPrefix: needs a path ending in a catch-all ('/**' or '/{*name}')",
                "routes[c].rewrite: '/x/{name}' uses {name}, which path '/c/{id}' does not capture",
                "routes[d].path: '/d/**/e': a catch-all must be the last segment",
                "routes[4].id: duplicate route id 'd'",
                "routes[f].methods[0]: 'GE T' is not an HTTP method",
                "routes[g].hosts[0]: 'Bad.Host:80' must be a lower-case host name, optionally starting with '*.'",
                "routes[h].upstream: 'ftp://x' must be an http:// or https:// URL with a host"));
  }

  private static String id(RouteLookup l) {
    return ((RouteLookup.Found) l).route().id();
  }
}
