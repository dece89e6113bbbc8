// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.jwt;

import io.sluice.gateway.api.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One inline verification key: exactly one of {@code pem}, {@code jwk} or {@code secret}.
 *
 * @param kid the key id tokens name in their {@code kid} header; a token with a {@code kid} is only checked
 *     against keys with that id. Defaults to the JWK's own {@code kid}.
 * @param alg restricts the key to one algorithm (e.g. {@code RS256}); by default any algorithm of the key's
 *     family that {@code algorithms} allows
 * @param pem a public key ({@code -----BEGIN PUBLIC KEY-----}: RSA, EC or Ed25519) or an X.509 certificate
 * @param jwk a public JWK as an object ({@code {kty: RSA, n: ..., e: ...}}); private members are refused
 * @param secret an HMAC secret for HS256/384/512, at least 32 bytes (UTF-8); write {@code ${env:NAME}}
 * @param issuer the only {@code iss} a token this key verifies may carry; required when the route has more
 *     than one key source (several keys, or keys and a JWKS), so that no key holder can speak for another issuer
 */
public record KeyConfig(
    @Nullable String kid,
    @Nullable String alg,
    @Nullable String pem,
    @Nullable Map<String, Object> jwk,
    @Nullable String secret,
    @Nullable String issuer) {

  public KeyConfig {
    if (issuer != null && issuer.isEmpty()) {
      throw new ConfigException("issuer", "must not be empty");
    }
    int set = (pem != null ? 1 : 0) + (jwk != null ? 1 : 0) + (secret != null ? 1 : 0);
    if (set != 1) {
      throw new ConfigException("", "needs exactly one of pem, jwk or secret");
    }
    if (secret != null && secret.getBytes(StandardCharsets.UTF_8).length < 32) {
      // RFC 7518 §3.2: an HS256 key must be at least as long as the hash output.
      throw new ConfigException("secret", "must be at least 32 bytes (256 bits) long");
    }
    if (alg != null && !Algorithms.ALL.contains(alg)) {
      throw new ConfigException("alg", "'" + alg + "' is not one of " + Algorithms.ALL);
    }
  }

  /** A key not bound to an issuer (allowed only as the route's single key source). */
  public KeyConfig(@Nullable String kid, @Nullable String alg, @Nullable String pem, @Nullable Map<String, Object> jwk,
      @Nullable String secret) {
    this(kid, alg, pem, jwk, secret, null);
  }

  /** A key from a PEM text. */
  public static KeyConfig pem(String pem) {
    return new KeyConfig(null, null, pem, null, null, null);
  }

  /** An HMAC secret. */
  public static KeyConfig secret(String secret) {
    return new KeyConfig(null, null, null, null, secret, null);
  }

  /** A public JWK. */
  public static KeyConfig jwk(Map<String, Object> jwk) {
    return new KeyConfig(null, null, null, jwk, null, null);
  }

  /** This key, bound to {@code issuer}. */
  public KeyConfig withIssuer(String issuer) {
    return new KeyConfig(kid, alg, pem, jwk, secret, issuer);
  }

  @Override
  public String toString() {
    // Never print a secret (config dumps, test failures).
    return "KeyConfig[kid=" + kid + ", alg=" + alg + ", issuer=" + issuer + (secret != null ? ", secret=***" : pem != null ? ", pem" : ", jwk") + "]";
  }
}
