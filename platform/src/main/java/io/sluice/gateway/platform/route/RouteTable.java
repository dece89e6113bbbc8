// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.route;

import io.sluice.gateway.api.config.ConfigException;
import io.sluice.gateway.platform.config.GatewayConfig;
import io.sluice.gateway.platform.config.InvalidConfigException;
import io.sluice.gateway.platform.config.PolicyConfig;
import io.sluice.gateway.platform.config.RouteConfig;
import io.sluice.gateway.platform.policy.ChainAssembler;
import io.sluice.gateway.platform.policy.PolicyChain;
import io.sluice.gateway.platform.policy.PolicyRegistry;
import io.sluice.gateway.platform.upstream.Upstream;
import io.sluice.gateway.platform.upstream.UpstreamRegistry;
import io.sluice.gateway.platform.upstream.Upstreams;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * All routes of one configuration, compiled for lookup. Immutable and shared by every event loop; a reload
 * builds a new table and swaps it in whole, so a request sees one table from start to end.
 *
 * <p>Hosts are looked up first: the exact host, then wildcard hosts from the longest suffix
 * ({@code *.api.example.com} before {@code *.example.com}), then routes without hosts. The first of those
 * whose path trie has a route for the request wins. See {@link PathTrie} for the order within a host.
 */
public final class RouteTable {

  private static final int MAX_SEGMENTS = 128;

  private final List<Route> routes;
  private final Map<String, PathTrie> exactHosts;
  private final Map<String, PathTrie> wildcardHosts;
  private final @Nullable PathTrie anyHost;
  private final boolean usesQuery;
  private final Upstreams upstreams;

  private RouteTable(
      Upstreams upstreams,
      List<Route> routes,
      Map<String, PathTrie> exactHosts,
      Map<String, PathTrie> wildcardHosts,
      @Nullable PathTrie anyHost) {
    this.upstreams = upstreams;
    this.routes = List.copyOf(routes);
    this.exactHosts = exactHosts;
    this.wildcardHosts = wildcardHosts;
    this.anyHost = anyHost;
    this.usesQuery = routes.stream().anyMatch(Route::hasQueryConstraints);
  }

  /**
   * Compiles the routes of a configuration.
   *
   * @param source names the configuration in errors
   * @param chains builds each route's policy chain
   * @param registry the target states that carry over between configurations
   * @throws InvalidConfigException listing every bad route with the path of the bad field
   */
  public static RouteTable compile(
      GatewayConfig config, String source, ChainAssembler chains, UpstreamRegistry registry) {
    return compile(config, source, chains, registry, List.of());
  }

  /**
   * Like {@link #compile(GatewayConfig, String, ChainAssembler, UpstreamRegistry)}, for a configuration whose
   * binding already found {@code earlier} problems (their fields were left out): the refusal lists those and
   * every problem found here, so that a file's errors are all reported at once.
   */
  public static RouteTable compile(
      GatewayConfig config, String source, ChainAssembler chains, UpstreamRegistry registry,
      List<ConfigException> earlier) {
    List<ConfigException> errors = new ArrayList<>(earlier);
    io.sluice.gateway.platform.consumer.ConfiguredConsumers.checkIds(config.consumers(), errors);
    Upstreams upstreams = Upstreams.compile(config.upstreams(), registry, errors);
    List<Route> routes = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    List<RouteConfig> configs = config.routes();
    for (int i = 0; i < configs.size(); i++) {
      RouteConfig rc = configs.get(i);
      String at = "routes[" + rc.id() + "]";
      if (!ids.add(rc.id())) {
        errors.add(new ConfigException("routes[" + i + "].id", "duplicate route id '" + rc.id() + "'"));
        continue;
      }
      List<ConfigException> routeErrors = new ArrayList<>();
      try {
        Route route = compileRoute(rc, i, upstreams, config, chains, routeErrors);
        if (route != null) {
          routes.add(route);
        }
      } catch (ChainAssembler.ChainProblems e) {
        for (ConfigException g : e.global()) {
          if (errors.stream().noneMatch(x -> x.getMessage().equals(g.getMessage()))) {
            errors.add(g);
          }
        }
        e.local().forEach(l -> routeErrors.add(l));
      }
      routeErrors.forEach(e -> errors.add(e.at(at)));
    }
    if (!errors.isEmpty()) {
      // The routes that did compile may hold resources (script contexts): release them with the refusal.
      for (Route r : routes) {
        for (var entry : r.chain().entries()) {
          if (entry.policy() instanceof AutoCloseable c) {
            try {
              c.close();
            } catch (Exception ignored) {
              // best effort: the table is discarded either way
            }
          }
        }
      }
      throw new InvalidConfigException(source, errors);
    }
    Map<String, PathTrie> exact = new HashMap<>();
    Map<String, PathTrie> wildcard = new HashMap<>();
    PathTrie any = null;
    for (Route r : routes) {
      if (r.hosts().isEmpty()) {
        if (any == null) {
          any = new PathTrie();
        }
        any.add(r);
      }
      for (String host : r.hosts()) {
        if (host.startsWith("*.")) {
          wildcard.computeIfAbsent(host.substring(1), k -> new PathTrie()).add(r);
        } else {
          exact.computeIfAbsent(host, k -> new PathTrie()).add(r);
        }
      }
    }
    return new RouteTable(upstreams, routes, exact, wildcard, any);
  }

  /** A table with no policies at all and fresh target states (tests and tools). */
  public static RouteTable compile(GatewayConfig config, String source) {
    return compile(config, source, new ChainAssembler(PolicyRegistry.EMPTY, new io.sluice.gateway.platform.config.ConfigLoader(), (r, t) -> {
      throw new IllegalStateException("no policies");
    }), new UpstreamRegistry(null));
  }

  /** The upstreams of this configuration, named and made for URLs. */
  public Upstreams upstreams() {
    return upstreams;
  }

  /**
   * Compiles one route, adding each of its problems to {@code errors} (relative to the route); null when it
   * has any. Every field is checked even after a bad one, so that a file's errors are reported together.
   */
  private static @Nullable Route compileRoute(
      RouteConfig rc,
      int order,
      Upstreams upstreams,
      GatewayConfig config,
      ChainAssembler chains,
      List<ConfigException> errors) {
    int before = errors.size();
    PathPattern pattern = null;
    try {
      pattern = PathPattern.parse(rc.path());
    } catch (ConfigException e) {
      errors.add(e.at("path"));
    }
    Set<HttpMethod> methods = new LinkedHashSet<>();
    for (int m = 0; m < rc.methods().size(); m++) {
      String name = rc.methods().get(m);
      if (!isToken(name)) {
        errors.add(new ConfigException("methods[" + m + "]", "'" + name + "' is not an HTTP method"));
      } else {
        methods.add(HttpMethod.valueOf(name.toUpperCase(Locale.ROOT)));
      }
    }
    for (int h = 0; h < rc.hosts().size(); h++) {
      try {
        checkHost(rc.hosts().get(h), "hosts[" + h + "]");
      } catch (ConfigException e) {
        errors.add(e);
      }
    }
    for (String header : rc.headers().keySet()) {
      if (!isToken(header)) {
        errors.add(new ConfigException("headers", "'" + header + "' is not a header name"));
      }
    }
    Upstream upstream = null;
    try {
      upstream = upstreams.resolve(rc.upstream());
    } catch (ConfigException e) {
      // An upstream that is defined but broken has its own error already.
      if (!config.upstreams().containsKey(rc.upstream())) {
        errors.add(e.at("upstream"));
      }
    }
    UpstreamPath upstreamPath = null;
    if (pattern != null) {
      try {
        upstreamPath = rc.stripPrefix()
            ? UpstreamPath.stripPrefix(pattern)
            : rc.rewrite() != null ? UpstreamPath.template(rc.rewrite(), pattern) : UpstreamPath.unchanged();
      } catch (ConfigException e) {
        errors.add(e);
      }
    }
    if (errors.size() > before || upstream == null) {
      return null;
    }
    long maxBody = rc.maxBodySize() != null ? rc.maxBodySize().bytes() : config.server().maxBodySize().bytes();
    PolicyChain chain = chains.assemble(rc.id(), config.policies(), rc.policies(), rc.authentication());
    return new Route(rc, order, pattern, methods, upstream, upstreamPath, maxBody, chain, rc.timeouts().orElse(upstream.timeouts()));
  }

  private static void checkHost(String host, String field) {
    String name = host.startsWith("*.") ? host.substring(2) : host;
    if (name.isEmpty() || !name.equals(name.toLowerCase(Locale.ROOT))) {
      throw new ConfigException(field, "'" + host + "' must be a lower-case host name, optionally starting with '*.'");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':' || c == '[' || c == ']')) {
        throw new ConfigException(
            field, "'" + host + "' is not a host name (no ports, paths or wildcards other than a leading '*.')");
      }
    }
  }

  private static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** The routes in configuration order. */
  public List<Route> routes() {
    return routes;
  }

  /** Whether any route matches on query parameters (so the caller needs to parse them). */
  public boolean usesQuery() {
    return usesQuery;
  }

  /**
   * Finds the route for a request.
   *
   * @param host the request's host, lower-case, without port
   * @param path the normalised path
   * @param query the decoded query parameters, or null when {@link #usesQuery()} is false
   */
  public RouteLookup lookup(String host, HttpMethod method, String path, MultiMap headers, @Nullable MultiMap query) {
    int slashes = 0;
    for (int i = 0; i < path.length(); i++) {
      if (path.charAt(i) == '/') {
        slashes++;
      }
    }
    if (slashes > MAX_SEGMENTS) {
      return RouteLookup.NOT_FOUND;
    }
    int[] segments = new int[2 * slashes];
    int count = split(path, segments);
    if (count < 0) {
      return RouteLookup.NOT_FOUND;
    }
    Route found = find(host, method, path, segments, count, headers, query, null);
    if (found == null) {
      // Not found: look again, collecting the methods of routes that matched all but the method (405 Allow).
      Set<HttpMethod> allowed = new LinkedHashSet<>(2);
      find(host, method, path, segments, count, headers, query, allowed);
      return allowed.isEmpty() ? RouteLookup.NOT_FOUND : new RouteLookup.MethodNotAllowed(Set.copyOf(allowed));
    }
    return new RouteLookup.Found(found, captures(found.pattern(), path, segments, count));
  }

  /** Exact host, then wildcard hosts from the longest suffix, then routes without hosts. */
  private @Nullable Route find(String host, HttpMethod method, String path, int[] segments, int count,
      MultiMap headers, @Nullable MultiMap query, @Nullable Set<HttpMethod> allowed) {
    Route found = null;
    PathTrie trie = exactHosts.isEmpty() ? null : exactHosts.get(host);
    if (trie != null) {
      found = trie.find(path, segments, count, method, headers, query, allowed);
    }
    if (found == null && !wildcardHosts.isEmpty()) {
      for (int dot = host.indexOf('.'); found == null && dot >= 0; dot = host.indexOf('.', dot + 1)) {
        PathTrie w = wildcardHosts.get(host.substring(dot));
        if (w != null) {
          found = w.find(path, segments, count, method, headers, query, allowed);
        }
      }
    }
    if (found == null && anyHost != null) {
      found = anyHost.find(path, segments, count, method, headers, query, allowed);
    }
    return found;
  }

  /** Splits {@code /a/b/} into offsets [1,2, 3,4, 5,5]; {@code /} has no segments. -1 when too deep. */
  private static int split(String path, int[] out) {
    int n = 0;
    int len = path.length();
    if (len <= 1) {
      return 0;
    }
    int start = 1;
    for (int i = 1; i <= len; i++) {
      if (i == len || path.charAt(i) == '/') {
        if (n == MAX_SEGMENTS) {
          return -1;
        }
        out[2 * n] = start;
        out[2 * n + 1] = i;
        n++;
        start = i + 1;
      }
    }
    return n;
  }

  /**
   * What {@code pattern} captures from the normalised {@code path}, or null when the pattern does not match it
   * (the trie's rule for one pattern: literals equal, parameters non-empty, a catch-all takes the rest, even none).
   */
  static @Nullable Map<String, String> match(PathPattern pattern, String path) {
    if (path.isEmpty() || path.charAt(0) != '/') {
      return null;
    }
    int[] segments = new int[2 * (MAX_SEGMENTS + 1)];
    int count = split(path, segments);
    List<PathPattern.Segment> ps = pattern.segments();
    if (count < 0 || count < ps.size() || (pattern.catchAll() == null && count != ps.size())) {
      return null;
    }
    for (int i = 0; i < ps.size(); i++) {
      int start = segments[2 * i];
      int end = segments[2 * i + 1];
      PathPattern.Segment s = ps.get(i);
      if (s.param() ? end == start : !path.regionMatches(start, s.value(), 0, end - start)
          || s.value().length() != end - start) {
        return null;
      }
    }
    return captures(pattern, path, segments, count);
  }

  private static Map<String, String> captures(PathPattern pattern, String path, int[] segments, int count) {
    if (!pattern.hasParams()) {
      return Map.of();
    }
    Map<String, String> captures = new LinkedHashMap<>(4);
    List<PathPattern.Segment> ps = pattern.segments();
    for (int i = 0; i < ps.size(); i++) {
      if (ps.get(i).param()) {
        captures.put(ps.get(i).value(), path.substring(segments[2 * i], segments[2 * i + 1]));
      }
    }
    if (pattern.catchAll() != null) {
      int k = ps.size();
      captures.put(pattern.catchAll(), k < count ? path.substring(segments[2 * k]) : "");
    }
    return captures;
  }
}
