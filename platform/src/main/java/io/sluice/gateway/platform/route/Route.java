// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.route;

import io.sluice.gateway.platform.config.RouteConfig;
import io.sluice.gateway.platform.config.TimeoutsConfig;
import io.sluice.gateway.platform.policy.PolicyChain;
import io.sluice.gateway.platform.upstream.Upstream;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A compiled route: everything a request needs from its route, resolved once at load time. Immutable.
 */
public final class Route {

  private final RouteConfig config;
  private final int order;
  private final PathPattern pattern;
  private final Set<HttpMethod> methods;
  private final Map<String, String> headers;
  private final Map<String, String> query;
  private final Upstream upstream;
  private final UpstreamPath upstreamPath;
  private final long maxBodySize;
  private final PolicyChain chain;
  private final TimeoutsConfig timeouts;

  Route(
      RouteConfig config,
      int order,
      PathPattern pattern,
      Set<HttpMethod> methods,
      Upstream upstream,
      UpstreamPath upstreamPath,
      long maxBodySize,
      PolicyChain chain,
      TimeoutsConfig timeouts) {
    this.config = config;
    this.timeouts = timeouts;
    this.order = order;
    this.pattern = pattern;
    this.methods = Set.copyOf(methods);
    this.headers = config.headers();
    this.query = config.query();
    this.upstream = upstream;
    this.upstreamPath = upstreamPath;
    this.maxBodySize = maxBodySize;
    this.chain = chain;
  }

  /** The route's policy chain, in request order (empty when it has none). */
  public PolicyChain chain() {
    return chain;
  }

  public String id() {
    return config.id();
  }

  public RouteConfig config() {
    return config;
  }

  public PathPattern pattern() {
    return pattern;
  }

  public Upstream upstream() {
    return upstream;
  }

  /** The route's timeouts over its upstream's over the defaults. */
  public TimeoutsConfig timeouts() {
    return timeouts;
  }

  /** The largest request body accepted, in bytes. */
  public long maxBodySize() {
    return maxBodySize;
  }

  /** Forward the client's Host header. */
  public boolean preserveHost() {
    return config.preserveHost();
  }

  /** The Host header to send upstream instead of the target's, or null. */
  public @Nullable String upstreamHost() {
    return config.upstreamHost();
  }

  /** The methods this route accepts; empty for all. */
  public Set<HttpMethod> methods() {
    return methods;
  }

  /** The path to request from the upstream, without the query string. */
  public String upstreamPath(String path, Map<String, String> captures) {
    String p = upstreamPath.apply(path, captures);
    String base = upstream.basePath();
    return base.isEmpty() ? p : base + p;
  }

  /**
   * The upstream URI (path and query) for a request of this route to {@code pathAndQuery}, a normalised gateway
   * path with an optional query; null when the route's pattern does not match the path. For requests made
   * outside an exchange (a policy's {@code RouteUpstream}); a proxied request maps its path with
   * {@link #upstreamPath}.
   */
  public @Nullable String upstreamUri(String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    Map<String, String> captures = RouteTable.match(pattern, path);
    if (captures == null) {
      return null;
    }
    String mapped = upstreamPath(path, captures);
    return q < 0 ? mapped : mapped + pathAndQuery.substring(q);
  }

  /** How many constraints besides the path this route has: the tie-breaker between routes on one path. */
  int constraints() {
    return (methods.isEmpty() ? 0 : 1) + headers.size() + query.size();
  }

  int order() {
    return order;
  }

  /** Whether headers and query parameters match (methods are checked separately, to tell 404 from 405). */
  boolean matchesHeadersAndQuery(MultiMap requestHeaders, @Nullable MultiMap queryParams) {
    for (Map.Entry<String, String> h : headers.entrySet()) {
      if (!h.getValue().equals(requestHeaders.get(h.getKey()))) {
        return false;
      }
    }
    if (!query.isEmpty()) {
      if (queryParams == null) {
        return false;
      }
      for (Map.Entry<String, String> q : query.entrySet()) {
        if (!q.getValue().equals(queryParams.get(q.getKey()))) {
          return false;
        }
      }
    }
    return true;
  }

  boolean hasQueryConstraints() {
    return !query.isEmpty();
  }

  List<String> hosts() {
    return config.hosts();
  }

  @Override
  public String toString() {
    return id();
  }
}
