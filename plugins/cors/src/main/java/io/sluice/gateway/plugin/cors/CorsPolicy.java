// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.cors;

import io.sluice.gateway.api.Exchange;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.Rejection;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * CORS (Fetch standard): a preflight ({@code OPTIONS} with {@code Origin} and
 * {@code Access-Control-Request-Method}) is answered here, 204 when allowed and 403
 * {@code CORS_PREFLIGHT_REFUSED} when not; the upstream never sees it. Other requests with an allowed
 * {@code Origin} get the CORS response headers; requests from other origins (or without one) pass through without
 * them (the browser then withholds the response from the page; non-browser clients are unaffected), but with
 * {@code Vary: Origin} whenever the answer depends on the origin, so that shared caches keep them apart.
 */
final class CorsPolicy implements Policy {

  private final boolean anyOrigin;
  private final Set<String> exactOrigins;
  private final List<String[]> wildcardOrigins;
  private final Set<String> methods;
  private final Set<String> headers;
  private final String allowMethods;
  private final String exposeHeaders;
  private final boolean credentials;
  private final String maxAge;
  /** False only for {@code *} without credentials: then every origin gets the same answer. */
  private final boolean originMatters;

  CorsPolicy(CorsConfig config) {
    this.anyOrigin = config.allowedOrigins().contains("*");
    this.exactOrigins = config.allowedOrigins().stream().filter(o -> !o.contains("*")).collect(Collectors.toUnmodifiableSet());
    this.wildcardOrigins = config.allowedOrigins().stream()
        .filter(o -> o.contains("://*."))
        .map(o -> new String[] {o.substring(0, o.indexOf("://") + 3), o.substring(o.indexOf("://*.") + 4)})
        .toList();
    this.methods = Set.copyOf(config.allowedMethods());
    this.headers = config.allowedHeaders().stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    this.allowMethods = String.join(", ", config.allowedMethods());
    this.exposeHeaders = String.join(", ", config.exposedHeaders());
    this.credentials = config.allowCredentials();
    this.maxAge = String.valueOf(config.maxAge().toSeconds());
    this.originMatters = !(anyOrigin && !credentials);
  }

  @Override
  public Future<Void> apply(Exchange exchange, Chain chain) {
    String origin = exchange.request().headers().get("Origin");
    if (origin == null || !allowed(origin) && !isPreflight(exchange)) {
      // The answer still depends on Origin (no CORS headers here, some for an allowed origin): without
      // Vary: Origin a shared cache would hand this response to an allowed origin, or the reverse.
      return originMatters ? chain.proceed().onSuccess(v -> varyOnOrigin(exchange)) : chain.proceed();
    }
    if (isPreflight(exchange)) {
      return preflight(exchange, origin, exchange.request().headers().get("Access-Control-Request-Method"));
    }
    return chain.proceed().onSuccess(v -> {
      MultiMap h = exchange.response().headers();
      allowOrigin(h, origin);
      if (!exposeHeaders.isEmpty()) {
        h.set("Access-Control-Expose-Headers", exposeHeaders);
      }
    });
  }

  private Future<Void> preflight(Exchange exchange, String origin, String requestedMethod) {
    String requestedHeaders = exchange.request().headers().get("Access-Control-Request-Headers");
    if (!allowed(origin) || !methods.contains(requestedMethod.trim().toUpperCase(Locale.ROOT))
        || !headersAllowed(requestedHeaders)) {
      Rejection refused = Rejection.of(403, "CORS_PREFLIGHT_REFUSED")
          .message("this origin, method or header is not allowed for cross-origin requests");
      return exchange.reject(originMatters ? refused.header("Vary", "Origin") : refused);
    }
    exchange.response().status(204);
    MultiMap h = exchange.response().headers();
    allowOrigin(h, origin);
    h.set("Access-Control-Allow-Methods", allowMethods);
    if (requestedHeaders != null && !requestedHeaders.isBlank()) {
      h.set("Access-Control-Allow-Headers", requestedHeaders);
    }
    h.set("Access-Control-Max-Age", maxAge);
    h.add("Vary", "Access-Control-Request-Method");
    h.add("Vary", "Access-Control-Request-Headers");
    return Future.succeededFuture();
  }

  private void allowOrigin(MultiMap h, String origin) {
    if (anyOrigin && !credentials) {
      h.set("Access-Control-Allow-Origin", "*");
    } else {
      h.set("Access-Control-Allow-Origin", origin);
      addVaryOrigin(h);
    }
    if (credentials) {
      h.set("Access-Control-Allow-Credentials", "true");
    }
  }

  private static boolean isPreflight(Exchange exchange) {
    return exchange.request().method() == HttpMethod.OPTIONS
        && exchange.request().headers().get("Access-Control-Request-Method") != null;
  }

  private static void varyOnOrigin(Exchange exchange) {
    if (!exchange.rejected()) {
      addVaryOrigin(exchange.response().headers());
    }
  }

  private static void addVaryOrigin(MultiMap h) {
    for (String vary : h.getAll("Vary")) {
      for (String name : vary.split(",")) {
        if (name.trim().equalsIgnoreCase("Origin") || name.trim().equals("*")) {
          return;
        }
      }
    }
    h.add("Vary", "Origin");
  }

  boolean allowed(String origin) {
    if (anyOrigin || exactOrigins.contains(origin)) {
      return true;
    }
    for (String[] w : wildcardOrigins) {
      // scheme://*.example.com matches scheme://a.example.com and scheme://a.b.example.com[:any port];
      // scheme://*.example.com:8443 only on that port
      if (origin.startsWith(w[0])) {
        String host = origin.substring(w[0].length());
        int colon = host.lastIndexOf(':');
        String bare = colon > 0 && host.indexOf(']') < colon ? host.substring(0, colon) : host;
        String compared = w[1].indexOf(':') >= 0 ? host : bare;
        if (compared.endsWith(w[1]) && compared.length() > w[1].length()) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean headersAllowed(String requested) {
    if (requested == null || requested.isBlank()) {
      return true;
    }
    for (String h : requested.split(",")) {
      String name = h.trim().toLowerCase(Locale.ROOT);
      if (!name.isEmpty() && !headers.contains(name)) {
        return false;
      }
    }
    return true;
  }
}
