// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.oauth2introspection;

import io.sluice.gateway.api.auth.TokenLocation;
import io.sluice.gateway.api.config.ConfigException;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Configuration of {@code oauth2-introspection}.
 *
 * <pre>{@code
 * - type: oauth2-introspection
 *   config:
 *     url: https://sso.example.com/realms/acme/protocol/openid-connect/token/introspect
 *     clientId: gateway
 *     clientSecret: ${env:INTROSPECTION_SECRET}
 *     groupsClaim: groups
 * }</pre>
 *
 * <p>There is deliberately no fail-open switch: an authentication that lets every request through while the
 * authorization server is down is no authentication. When the endpoint is down or slow, requests whose token
 * is not in the cache are refused with 503 {@code AUTH_UNAVAILABLE}; tokens already introspected keep working
 * until their cache entry ends.
 *
 * @param url the introspection endpoint (http or https)
 * @param clientId the gateway's client id at the authorization server
 * @param clientSecret its secret, sent with HTTP Basic ({@code client_secret_basic}); write {@code ${env:NAME}}
 * @param timeout how long one introspection may take (default 2s)
 * @param tokenTypeHint the {@code token_type_hint} sent (default {@code access_token}); {@code ""} sends none
 * @param audiences accepted {@code aud} values of the answer; empty: not checked
 * @param token where the token is (default {@code Authorization: Bearer})
 * @param consumerClaim the answer's member naming the consumer (default {@code sub}; an answer without
 *     {@code sub}, a client-credentials token, is named {@code client:<client_id>}, apart from every subject)
 * @param groupsClaim a member with the consumer's groups (an array, or a space-separated string)
 * @param claimHeaders answer members sent to the upstream, member name to header name; the client's own
 *     headers of those names are always removed first
 * @param cacheTtl how long an active answer is remembered at most (never beyond its {@code exp}; default 5m)
 * @param negativeCacheTtl how long an inactive answer is remembered (default 10s)
 * @param cacheSize how many answers are remembered at most (default 10000)
 * @param realm the realm of {@code WWW-Authenticate} (default {@code sluice})
 */
public record IntrospectionConfig(
    String url,
    String clientId,
    String clientSecret,
    @Nullable Duration timeout,
    @Nullable String tokenTypeHint,
    List<String> audiences,
    @Nullable TokenLocation token,
    @Nullable String consumerClaim,
    @Nullable String groupsClaim,
    Map<String, String> claimHeaders,
    @Nullable Duration cacheTtl,
    @Nullable Duration negativeCacheTtl,
    @Nullable Integer cacheSize,
    @Nullable String realm) {

  public IntrospectionConfig {
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
    if (clientId == null || clientId.isEmpty()) {
      throw new ConfigException("clientId", "is required");
    }
    if (clientSecret == null || clientSecret.isEmpty()) {
      throw new ConfigException("clientSecret", "is required (write ${env:NAME} to keep it out of the file)");
    }
    timeout = timeout != null ? timeout : Duration.ofSeconds(2);
    if (timeout.isZero() || timeout.isNegative()) {
      throw new ConfigException("timeout", "must be > 0");
    }
    tokenTypeHint = tokenTypeHint != null ? tokenTypeHint : "access_token";
    audiences = audiences != null ? List.copyOf(audiences) : List.of();
    token = token != null ? token : TokenLocation.BEARER;
    consumerClaim = consumerClaim != null ? consumerClaim : "sub";
    if (consumerClaim.isBlank()) {
      throw new ConfigException("consumerClaim", "must not be blank");
    }
    claimHeaders = claimHeaders != null ? Map.copyOf(claimHeaders) : Map.of();
    HashSet<String> names = new HashSet<>();
    claimHeaders.forEach((claim, header) -> {
      if (header == null || header.isBlank() || !isToken(header)) {
        throw new ConfigException("claimHeaders." + claim, "'" + header + "' is not a header name");
      }
      if (!names.add(header.toLowerCase(Locale.ROOT))) {
        throw new ConfigException("claimHeaders." + claim, "header '" + header + "' is mapped twice");
      }
    });
    cacheTtl = cacheTtl != null ? cacheTtl : Duration.ofMinutes(5);
    negativeCacheTtl = negativeCacheTtl != null ? negativeCacheTtl : Duration.ofSeconds(10);
    if (cacheTtl.isNegative()) {
      throw new ConfigException("cacheTtl", "must not be negative");
    }
    if (negativeCacheTtl.isNegative()) {
      throw new ConfigException("negativeCacheTtl", "must not be negative");
    }
    cacheSize = cacheSize != null ? cacheSize : 10_000;
    if (cacheSize < 1) {
      throw new ConfigException("cacheSize", "must be > 0");
    }
    realm = realm != null ? realm : "sluice";
    if (realm.indexOf('"') >= 0 || realm.indexOf('\\') >= 0) {
      throw new ConfigException("realm", "must not contain quotes or backslashes");
    }
  }

  /** An endpoint and client credentials, the defaults for everything else. */
  public static IntrospectionConfig of(String url, String clientId, String clientSecret) {
    return new IntrospectionConfig(url, clientId, clientSecret, null, null, null, null, null, null, null, null, null,
        null, null);
  }

  @Override
  public String toString() {
    return "IntrospectionConfig[url=" + url + ", clientId=" + clientId + ", clientSecret=***]";
  }

  private static boolean isToken(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(Character.isLetterOrDigit(c) && c < 128) && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }
}
