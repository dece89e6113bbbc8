// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.crypto.impl.ECDSA;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import java.security.GeneralSecurityException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One key a token may be verified with, and the algorithms it may verify. Binding each key to its own
 * family is what stops key confusion: an RSA key never verifies an HS256 token (whose "secret" would be the
 * public key), an HMAC secret never an RS256 one.
 */
final class VerificationKey {

  private final @Nullable String kid;
  private final Set<String> algorithms;
  private final JWSVerifier verifier;
  private final @Nullable String issuer;

  private VerificationKey(@Nullable String kid, Set<String> algorithms, JWSVerifier verifier, @Nullable String issuer) {
    this.kid = kid;
    this.issuer = issuer;
    this.algorithms = Set.copyOf(algorithms);
    this.verifier = verifier;
  }

  /**
   * The key of {@code jwk} (its public part), restricted to {@code alg} (or the JWK's own {@code alg}) and to
   * {@code allowed}, and bound to {@code issuer} (null: not bound).
   *
   * @throws IllegalArgumentException with a reason when the key cannot verify any allowed algorithm
   */
  static VerificationKey of(JWK jwk, @Nullable String kid, @Nullable String alg, List<String> allowed,
      @Nullable String issuer) {
    if (KeyUse.ENCRYPTION.equals(jwk.getKeyUse())) {
      throw new IllegalArgumentException("the key is for encryption (use: enc), not signatures");
    }
    List<String> family;
    JWSVerifier verifier;
    try {
      if (jwk instanceof RSAKey rsa) {
        family = Algorithms.RSA;
        verifier = new RSASSAVerifier(rsa.toRSAPublicKey());
      } else if (jwk instanceof ECKey ec) {
        family = ECDSA.resolveAlgorithm(ec.getCurve()) != null ? List.of(ECDSA.resolveAlgorithm(ec.getCurve()).getName()) : List.of();
        verifier = new ECDSAVerifier(ec.toECPublicKey());
      } else if (jwk instanceof OctetKeyPair okp) {
        family = Algorithms.OKP;
        verifier = new JdkEd25519Verifier(okp);
      } else if (jwk instanceof OctetSequenceKey oct) {
        byte[] secret = oct.toByteArray();
        family = secret.length >= 64 ? Algorithms.HMAC : secret.length >= 48 ? List.of("HS256", "HS384") : List.of("HS256");
        verifier = new MACVerifier(secret);
      } else {
        throw new IllegalArgumentException("unsupported key type " + jwk.getKeyType());
      }
    } catch (JOSEException | GeneralSecurityException e) {
      throw new IllegalArgumentException("not a usable key: " + e.getMessage());
    }
    String restriction = alg != null ? alg : jwk.getAlgorithm() != null ? jwk.getAlgorithm().getName() : null;
    Set<String> algorithms = new HashSet<>(family);
    if (restriction != null) {
      algorithms.retainAll(Set.of(restriction));
    }
    algorithms.retainAll(allowed);
    if (algorithms.isEmpty()) {
      throw new IllegalArgumentException("the " + jwk.getKeyType() + " key verifies none of the accepted algorithms "
          + allowed + (restriction != null ? " (it is restricted to " + restriction + ")" : ""));
    }
    return new VerificationKey(kid != null ? kid : jwk.getKeyID(), algorithms, verifier, issuer);
  }

  @Nullable String kid() {
    return kid;
  }

  /** The only {@code iss} a token this key verifies may carry, or null when the key is not bound to one. */
  @Nullable String issuer() {
    return issuer;
  }

  /** Whether a token with this header may be checked against this key. */
  boolean fits(JWSAlgorithm alg, @Nullable String tokenKid) {
    // A key configured without an id fits any kid: the id only narrows the choice.
    return algorithms.contains(alg.getName()) && (tokenKid == null || kid == null || tokenKid.equals(kid));
  }

  JWSVerifier verifier() {
    return verifier;
  }
}
