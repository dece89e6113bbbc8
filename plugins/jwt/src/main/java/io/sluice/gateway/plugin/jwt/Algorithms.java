// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.jwt;

import java.util.List;

/** The JWS algorithms the policy verifies (RFC 7518 §3.1, RFC 8037 for EdDSA); never {@code none}. */
final class Algorithms {

  static final List<String> RSA = List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512");
  static final List<String> EC = List.of("ES256", "ES384", "ES512");
  static final List<String> OKP = List.of("EdDSA");
  static final List<String> HMAC = List.of("HS256", "HS384", "HS512");
  static final List<String> ALL = List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384",
      "ES512", "EdDSA", "HS256", "HS384", "HS512");
  /** What a JWKS may serve: public keys only, so never HMAC. */
  static final List<String> ASYMMETRIC = ALL.subList(0, 10);

  private Algorithms() {}
}
