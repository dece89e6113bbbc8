// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.jwt;

import io.sluice.gateway.api.auth.TokenLocation;
import io.sluice.gateway.api.config.ConfigException;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Configuration of {@code jwt}.
 *
 * <pre>{@code
 * - type: jwt
 *   config:
 *     jwks: { url: "https://sso.example.com/realms/acme/protocol/openid-connect/certs" }
 *     issuers: ["https://sso.example.com/realms/acme"]
 *     audiences: [orders-api]
 *     groupsClaim: groups
 *     claimHeaders: { email: X-User-Email }
 * }</pre>
 *
 * @param keys inline keys (PEM, JWK or HMAC secret); with or instead of {@code jwks}
 * @param jwks a JWKS URL to fetch public keys from
 * @param algorithms the accepted {@code alg} values (default: every algorithm the configured keys can verify;
 *     HS* only when a secret is configured). {@code none} is never accepted.
 * @param issuers accepted {@code iss} values; required with {@code jwks}. Empty (inline keys only): any issuer
 *     a key is bound to, or any issuer at all for a single unbound key
 * @param audiences accepted {@code aud} values; a token must name at least one. Required with {@code jwks};
 *     {@code ["*"]} accepts any audience explicitly. Empty (inline keys only): not checked.
 * @param requiredClaims claims a token must carry (default {@code [exp]}; {@code []} accepts tokens without expiry)
 * @param clockSkew tolerance for {@code exp}, {@code nbf} and {@code iat} (default 30s)
 * @param token where the token is (default {@code Authorization: Bearer})
 * @param consumerFrom {@code claims} (default) or {@code credentials}
 * @param consumerClaim the claim that names the consumer with {@code consumerFrom: claims} (default {@code sub})
 * @param groupsClaim a claim with the consumer's groups (an array, or a space-separated string); none by default
 * @param claimHeaders claims sent to the upstream, claim name to header name; the client's own headers of
 *     those names are always removed first
 * @param cacheTtl how long a verified token is remembered (never beyond its {@code exp}; default 5m, 0 turns
 *     the cache off)
 * @param cacheSize how many verified tokens are remembered at most (default 10000)
 * @param realm the realm of {@code WWW-Authenticate} (default {@code sluice})
 */
public record JwtConfig(
    List<KeyConfig> keys,
    @Nullable JwksConfig jwks,
    List<String> algorithms,
    List<String> issuers,
    List<String> audiences,
    @Nullable List<String> requiredClaims,
    @Nullable Duration clockSkew,
    @Nullable TokenLocation token,
    @Nullable ConsumerSource consumerFrom,
    @Nullable String consumerClaim,
    @Nullable String groupsClaim,
    Map<String, String> claimHeaders,
    @Nullable Duration cacheTtl,
    @Nullable Integer cacheSize,
    @Nullable String realm) {

  public JwtConfig {
    keys = keys != null ? List.copyOf(keys) : List.of();
    if (keys.isEmpty() && jwks == null) {
      throw new ConfigException("", "needs keys or a jwks URL");
    }
    algorithms = algorithms != null ? List.copyOf(algorithms) : defaultAlgorithms(keys, jwks);
    for (int i = 0; i < algorithms.size(); i++) {
      if (!Algorithms.ALL.contains(algorithms.get(i))) {
        throw new ConfigException("algorithms[" + i + "]", "'" + algorithms.get(i) + "' is not one of " + Algorithms.ALL
            + ("none".equalsIgnoreCase(algorithms.get(i)) ? " (unsecured tokens are never accepted)" : ""));
      }
    }
    if (algorithms.isEmpty()) {
      throw new ConfigException("algorithms", "must accept at least one algorithm");
    }
    issuers = issuers != null ? List.copyOf(issuers) : List.of();
    audiences = audiences != null ? List.copyOf(audiences) : List.of();
    checkIssuers(keys, jwks, issuers);
    if (jwks != null && audiences.isEmpty()) {
      // A shared IdP signs tokens for every client and API it serves: without an audience check this route
      // would accept a token issued for any of them.
      throw new ConfigException("audiences", "is required with a jwks URL, so that tokens the identity provider"
          + " issued for other APIs are refused; write [\"*\"] to accept any audience");
    }
    if (audiences.contains("*") && audiences.size() > 1) {
      throw new ConfigException("audiences", "\"*\" accepts any audience and cannot be combined with others");
    }
    requiredClaims = requiredClaims != null ? List.copyOf(requiredClaims) : List.of("exp");
    clockSkew = clockSkew != null ? clockSkew : Duration.ofSeconds(30);
    if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new ConfigException("clockSkew", "must be between 0 and 10m");
    }
    token = token != null ? token : TokenLocation.BEARER;
    consumerFrom = consumerFrom != null ? consumerFrom : ConsumerSource.CLAIMS;
    consumerClaim = consumerClaim != null ? consumerClaim : "sub";
    if (consumerClaim.isBlank()) {
      throw new ConfigException("consumerClaim", "must not be blank");
    }
    claimHeaders = claimHeaders != null ? Map.copyOf(new LinkedHashMap<>(claimHeaders)) : Map.of();
    HashSet<String> headerNames = new HashSet<>();
    claimHeaders.forEach((claim, header) -> {
      if (header == null || header.isBlank() || !isToken(header)) {
        throw new ConfigException("claimHeaders." + claim, "'" + header + "' is not a header name");
      }
      if (!headerNames.add(header.toLowerCase(java.util.Locale.ROOT))) {
        throw new ConfigException("claimHeaders." + claim, "header '" + header + "' is mapped twice");
      }
    });
    cacheTtl = cacheTtl != null ? cacheTtl : Duration.ofMinutes(5);
    if (cacheTtl.isNegative()) {
      throw new ConfigException("cacheTtl", "must not be negative");
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

  /** A configuration with these keys and the defaults for everything else. */
  public static JwtConfig withKeys(List<KeyConfig> keys) {
    return new JwtConfig(keys, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** A configuration fetching keys from {@code jwks}, with the defaults for everything else. */
  public static JwtConfig withJwks(JwksConfig jwks) {
    return new JwtConfig(null, jwks, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /**
   * Every key source is bound to its issuer when there are several (so that one key holder cannot speak for
   * another issuer), a JWKS needs the accepted issuers, and a bound issuer must be accepted.
   */
  private static void checkIssuers(List<KeyConfig> keys, @Nullable JwksConfig jwks, List<String> issuers) {
    boolean several = keys.size() + (jwks != null ? 1 : 0) > 1;
    for (int i = 0; i < keys.size(); i++) {
      checkBound(keys.get(i).issuer(), "keys[" + i + "].issuer", several, issuers);
    }
    if (jwks != null) {
      if (issuers.isEmpty()) {
        throw new ConfigException("issuers", "is required with a jwks URL: name the issuer(s) whose tokens this"
            + " route accepts");
      }
      checkBound(jwks.issuer(), "jwks.issuer", several, issuers);
    }
  }

  private static void checkBound(@Nullable String issuer, String field, boolean several, List<String> issuers) {
    if (issuer == null && several) {
      throw new ConfigException(field, "is required when the route has more than one key source (several keys,"
          + " or keys and a jwks): bind each to the one issuer it signs for");
    }
    if (issuer != null && !issuers.isEmpty() && !issuers.contains(issuer)) {
      throw new ConfigException(field, "'" + issuer + "' is not one of issuers");
    }
  }

  private static List<String> defaultAlgorithms(List<KeyConfig> keys, @Nullable JwksConfig jwks) {
    boolean hmac = keys.stream().anyMatch(k -> k.secret() != null);
    boolean asymmetric = jwks != null || keys.stream().anyMatch(k -> k.secret() == null);
    if (hmac && asymmetric) {
      return Algorithms.ALL;
    }
    return hmac ? Algorithms.HMAC : Algorithms.ASYMMETRIC;
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
