// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.cors;

import io.sluice.gateway.api.config.ConfigException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Configuration of {@code cors}.
 *
 * @param allowedOrigins {@code https://app.example.com}, {@code https://*.example.com} (any subdomain), or
 *     {@code *} (any origin; not with credentials)
 * @param allowedMethods methods a cross-origin request may use (default GET, HEAD, POST)
 * @param allowedHeaders request headers a cross-origin request may send (case-insensitive)
 * @param exposedHeaders response headers the browser may show to scripts
 * @param allowCredentials whether cookies and credentials may be sent
 * @param maxAge how long browsers may cache a preflight answer (default 10m)
 */
public record CorsConfig(
    List<String> allowedOrigins,
    List<String> allowedMethods,
    List<String> allowedHeaders,
    List<String> exposedHeaders,
    Boolean allowCredentials,
    Duration maxAge) {

  public CorsConfig {
    if (allowedOrigins == null || allowedOrigins.isEmpty()) {
      throw new ConfigException("allowedOrigins", "must list at least one origin (or \"*\")");
    }
    allowedOrigins = List.copyOf(allowedOrigins);
    allowedMethods = allowedMethods != null ? upper(allowedMethods) : List.of("GET", "HEAD", "POST");
    allowedHeaders = allowedHeaders != null ? List.copyOf(allowedHeaders) : List.of();
    exposedHeaders = exposedHeaders != null ? List.copyOf(exposedHeaders) : List.of();
    allowCredentials = allowCredentials != null ? allowCredentials : false;
    maxAge = maxAge != null ? maxAge : Duration.ofMinutes(10);
    if (allowCredentials && allowedOrigins.contains("*")) {
      throw new ConfigException("allowCredentials", "cannot be combined with the \"*\" origin (the CORS standard forbids it)");
    }
    for (int i = 0; i < allowedOrigins.size(); i++) {
      String o = allowedOrigins.get(i);
      if (!o.equals("*") && !(o.startsWith("http://") || o.startsWith("https://"))) {
        throw new ConfigException("allowedOrigins[" + i + "]", "'" + o + "' must be \"*\" or scheme://host[:port]");
      }
      if (o.endsWith("/")) {
        throw new ConfigException("allowedOrigins[" + i + "]", "'" + o + "' must not end with '/' (an origin has no path)");
      }
    }
    if (maxAge.isNegative()) {
      throw new ConfigException("maxAge", "must not be negative");
    }
  }

  private static List<String> upper(List<String> methods) {
    return methods.stream().map(m -> m.toUpperCase(Locale.ROOT)).toList();
  }
}
