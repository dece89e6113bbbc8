// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.jwt;

import io.sluice.gateway.api.config.ConfigException;
import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A JWKS URL (RFC 7517 §5) to fetch verification keys from, e.g. Keycloak's
 * {@code https://sso.example.com/realms/acme/protocol/openid-connect/certs} or Auth0's
 * {@code https://acme.eu.auth0.com/.well-known/jwks.json}.
 *
 * @param url the http(s) URL of the key set
 * @param refreshInterval how old the fetched key set may get before the next request refetches it in the
 *     background (default 10m)
 * @param minRefreshInterval the least time between two fetches caused by a token with an unknown {@code kid}
 *     (default 30s): a flood of random key ids causes at most one fetch per interval
 * @param timeout how long one fetch may take (default 5s)
 * @param issuer the only {@code iss} a token verified by a key of this set may carry; required when the route
 *     also has inline keys. Must be one of the route's {@code issuers}.
 */
public record JwksConfig(
    String url, @Nullable Duration refreshInterval, @Nullable Duration minRefreshInterval, @Nullable Duration timeout,
    @Nullable String issuer) {

  /** A JWKS not bound to an issuer by itself (the route's {@code issuers} still apply). */
  public JwksConfig(String url, @Nullable Duration refreshInterval, @Nullable Duration minRefreshInterval,
      @Nullable Duration timeout) {
    this(url, refreshInterval, minRefreshInterval, timeout, null);
  }

  public JwksConfig {
    if (issuer != null && issuer.isEmpty()) {
      throw new ConfigException("issuer", "must not be empty");
    }
    if (url == null || url.isBlank()) {
      throw new ConfigException("url", "is required");
    }
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("url", "'" + url + "' is not a URL");
    }
    if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new ConfigException("url", "'" + url + "' must be an http:// or https:// URL");
    }
    refreshInterval = refreshInterval != null ? refreshInterval : Duration.ofMinutes(10);
    minRefreshInterval = minRefreshInterval != null ? minRefreshInterval : Duration.ofSeconds(30);
    timeout = timeout != null ? timeout : Duration.ofSeconds(5);
    if (refreshInterval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new ConfigException("refreshInterval", "must be at least 1s");
    }
    if (minRefreshInterval.isNegative()) {
      throw new ConfigException("minRefreshInterval", "must not be negative");
    }
    if (timeout.isZero() || timeout.isNegative()) {
      throw new ConfigException("timeout", "must be > 0");
    }
  }

  /** A JWKS URL with the default intervals. */
  public static JwksConfig of(String url) {
    return new JwksConfig(url, null, null, null, null);
  }

  /** This JWKS, bound to {@code issuer}. */
  public JwksConfig withIssuer(String issuer) {
    return new JwksConfig(url, refreshInterval, minRefreshInterval, timeout, issuer);
  }
}
