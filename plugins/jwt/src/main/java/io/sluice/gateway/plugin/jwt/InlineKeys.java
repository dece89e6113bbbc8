// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.jwt;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import io.sluice.gateway.api.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Turns the configured inline keys into verification keys, once, when the policy is created. */
final class InlineKeys {

  private InlineKeys() {}

  static KeySet parse(List<KeyConfig> configs, List<String> allowed) {
    List<VerificationKey> keys = new ArrayList<>(configs.size());
    for (int i = 0; i < configs.size(); i++) {
      KeyConfig c = configs.get(i);
      String path = "keys[" + i + "]";
      JWK jwk = toJwk(c, path);
      try {
        keys.add(VerificationKey.of(jwk, c.kid(), c.alg(), allowed, c.issuer()));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(path, e.getMessage());
      }
    }
    return new KeySet(keys, Long.MAX_VALUE);
  }

  private static JWK toJwk(KeyConfig c, String path) {
    if (c.secret() != null) {
      return new OctetSequenceKey.Builder(c.secret().getBytes(StandardCharsets.UTF_8)).build();
    }
    if (c.jwk() != null) {
      JWK jwk;
      try {
        jwk = JWK.parse(c.jwk());
      } catch (ParseException e) {
        throw new ConfigException(path + ".jwk", "is not a JWK: " + e.getMessage());
      }
      if (jwk instanceof OctetSequenceKey) {
        throw new ConfigException(path + ".jwk", "a symmetric (oct) JWK belongs in secret, written ${env:NAME}");
      }
      if (jwk.isPrivate()) {
        throw new ConfigException(path + ".jwk", "holds a private key: configure its public part only");
      }
      return jwk;
    }
    return fromPem(c.pem(), path + ".pem");
  }

  static JWK fromPem(String pem, String path) {
    String text = pem.trim();
    if (text.contains("PRIVATE KEY-----")) {
      throw new ConfigException(path, "is a private key: configure the public key (openssl pkey -pubout)");
    }
    if (text.contains("BEGIN RSA PUBLIC KEY")) {
      throw new ConfigException(path, "is a PKCS#1 RSA key: convert it to a PUBLIC KEY block"
          + " (openssl rsa -RSAPublicKey_in -pubout)");
    }
    boolean certificate = text.startsWith("-----BEGIN CERTIFICATE-----");
    if (!certificate && !text.startsWith("-----BEGIN PUBLIC KEY-----")) {
      throw new ConfigException(path, "must be a -----BEGIN PUBLIC KEY----- or -----BEGIN CERTIFICATE----- block");
    }
    byte[] der;
    try {
      String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      der = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(path, "is not valid base64 between its BEGIN and END lines");
    }
    PublicKey key = certificate ? certificateKey(der, path) : publicKey(der, path);
    if (key instanceof RSAPublicKey rsa) {
      return new RSAKey.Builder(rsa).build();
    }
    if (key instanceof ECPublicKey ec) {
      Curve curve = Curve.forECParameterSpec(ec.getParams());
      if (curve == null) {
        throw new ConfigException(path, "uses an EC curve JWS does not define (use P-256, P-384 or P-521)");
      }
      return new ECKey.Builder(curve, ec).build();
    }
    if ("Ed25519".equals(key.getAlgorithm()) || "EdDSA".equals(key.getAlgorithm())) {
      return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(JdkEd25519Verifier.rawKey(key))).build();
    }
    throw new ConfigException(path, "holds a " + key.getAlgorithm() + " key; RSA, EC and Ed25519 are supported");
  }

  private static PublicKey certificateKey(byte[] der, String path) {
    try {
      return CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
    } catch (GeneralSecurityException e) {
      throw new ConfigException(path, "is not a readable X.509 certificate");
    }
  }

  private static PublicKey publicKey(byte[] der, String path) {
    for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // not this algorithm: try the next
      }
    }
    throw new ConfigException(path, "is not an RSA, EC or Ed25519 public key");
  }
}
