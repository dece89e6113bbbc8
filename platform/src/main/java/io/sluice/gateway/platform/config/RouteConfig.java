// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import io.sluice.gateway.api.config.ByteSize;
import io.sluice.gateway.api.config.ConfigException;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One route: what it matches and where it sends the request. See docs/configuration.md for the matching
 * rules (most specific wins).
 *
 * @param id unique, stable name used in logs, metrics and the admin API ({@code [a-z0-9._-]+})
 * @param hosts host names to match: exact ({@code api.example.com}) or wildcard ({@code *.example.com});
 *     empty matches any host
 * @param path path pattern: exact ({@code /health}), with named segments ({@code /users/{id}}) and/or a
 *     trailing catch-all ({@code /files/**} or {@code /files/{*path}})
 * @param methods HTTP methods to match; empty matches all
 * @param headers request headers that must be present with exactly these values
 * @param query query parameters that must be present with exactly these values
 * @param upstream the name of an upstream, or a URL ({@code http://host:port[/base]})
 * @param stripPrefix forward only what the trailing catch-all matched (the part before it is removed)
 * @param rewrite the upstream path, as a template over the captured segments: {@code /v2/users/{id}}
 * @param preserveHost forward the client's {@code Host} instead of the target's
 * @param upstreamHost forward this {@code Host} instead of the target's
 * @param timeouts upstream timeouts
 * @param maxBodySize the largest request body accepted; defaults to {@code server.maxBodySize}
 * @param policies this route's policies, merged with the global ones into the route's chain
 * @param authentication how the route's authentication policies combine ({@code mode: any|all}) and the
 *     anonymous fallback; null for the plain chain (all of them, in order)
 */
public record RouteConfig(
    String id,
    List<String> hosts,
    String path,
    List<String> methods,
    Map<String, String> headers,
    Map<String, String> query,
    String upstream,
    Boolean stripPrefix,
    @Nullable String rewrite,
    Boolean preserveHost,
    @Nullable String upstreamHost,
    TimeoutsConfig timeouts,
    @Nullable ByteSize maxBodySize,
    List<PolicyConfig> policies,
    @Nullable AuthenticationConfig authentication) {

  public RouteConfig {
    if (id == null || id.isBlank()) {
      throw new ConfigException("id", "is required");
    }
    if (!isRouteId(id)) {
      throw new ConfigException("id", "'" + id + "' may contain only a-z, 0-9, '.', '_' and '-'");
    }
    if (path == null || path.isBlank()) {
      throw new ConfigException("path", "is required");
    }
    if (upstream == null || upstream.isBlank()) {
      throw new ConfigException("upstream", "is required");
    }
    hosts = hosts != null ? List.copyOf(hosts) : List.of();
    methods = methods != null ? List.copyOf(methods) : List.of();
    headers = headers != null ? Map.copyOf(headers) : Map.of();
    query = query != null ? Map.copyOf(query) : Map.of();
    stripPrefix = stripPrefix != null ? stripPrefix : false;
    preserveHost = preserveHost != null ? preserveHost : false;
    timeouts = timeouts != null ? timeouts : TimeoutsConfig.defaults();
    policies = policies != null ? List.copyOf(policies) : List.of();
    if (stripPrefix && rewrite != null) {
      throw new ConfigException("rewrite", "cannot be combined with stripPrefix");
    }
    if (preserveHost && upstreamHost != null) {
      throw new ConfigException("upstreamHost", "cannot be combined with preserveHost");
    }
    if (rewrite != null && !rewrite.startsWith("/")) {
      throw new ConfigException("rewrite", "must start with '/'");
    }
    if (rewrite != null && (rewrite.indexOf('?') >= 0 || rewrite.indexOf('#') >= 0)) {
      throw new ConfigException("rewrite", "is a path template; the request's query string is forwarded as it is");
    }
  }

  private static boolean isRouteId(String id) {
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
