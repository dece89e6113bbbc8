// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Map;

/** A real key generated for a test, its public forms (JWK, PEM) and a signer for tokens. */
record TestKey(String kid, JWSAlgorithm alg, JWSSigner signer, JWK publicJwk, PublicKey publicKey) {

  static TestKey rsa(String kid, JWSAlgorithm alg) {
    try {
      RSAKey key = new RSAKeyGenerator(2048).keyID(kid).generate();
      return new TestKey(kid, alg, new RSASSASigner(key), key.toPublicJWK(), key.toPublicKey());
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static TestKey ec(String kid, JWSAlgorithm alg) {
    Curve curve = Curve.forJWSAlgorithm(alg).iterator().next();
    try {
      ECKey key = new ECKeyGenerator(curve).keyID(kid).generate();
      return new TestKey(kid, alg, new ECDSASigner(key), key.toPublicJWK(), key.toPublicKey());
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static TestKey ed25519(String kid) {
    try {
      KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      JWK jwk = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(raw(pair.getPublic())))
          .keyID(kid).build();
      return new TestKey(kid, JWSAlgorithm.EdDSA, new JdkEd25519Signer(pair.getPrivate()), jwk, pair.getPublic());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static TestKey hmac(String kid, JWSAlgorithm alg, String secret) {
    try {
      return new TestKey(kid, alg, new MACSigner(secret.getBytes(StandardCharsets.UTF_8)), null, null);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The same key pair signing with another algorithm of its family (RS256 → PS512, ...). */
  TestKey as(JWSAlgorithm other) {
    return new TestKey(kid, other, signer, publicJwk, publicKey);
  }

  /** The raw 32 bytes of an Ed25519 public key (the end of its X.509 form); kept here so the IT needs no main class. */
  private static byte[] raw(PublicKey key) {
    byte[] spki = key.getEncoded();
    return java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length);
  }

  /** The public key as a PEM {@code PUBLIC KEY} block. */
  String pem() {
    String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(publicKey.getEncoded());
    return "-----BEGIN PUBLIC KEY-----\n" + b64 + "\n-----END PUBLIC KEY-----\n";
  }

  /** The public JWK as the map the config binds. */
  Map<String, Object> jwkMap() {
    return publicJwk.toJSONObject();
  }

  /** A token with these claims, signed by this key, with its kid in the header. */
  String sign(JWTClaimsSet claims) {
    return sign(claims, kid);
  }

  String sign(JWTClaimsSet claims, String headerKid) {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(headerKid).build(), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }
}
