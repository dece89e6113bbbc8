// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.basicauth;

import io.sluice.gateway.api.config.ConfigException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.jspecify.annotations.Nullable;

/** {@code $pbkdf2-sha256$i=310000$salt$hash} with the JDK's PBKDF2WithHmacSHA256 (or SHA512). */
record Pbkdf2Hash(String algorithm, int iterations, byte[] salt, byte[] hash) implements PasswordHash {

  static Pbkdf2Hash parse(String encoded) {
    String[] parts = encoded.split("\\$");
    // "", "pbkdf2-sha256", "i=N", salt, hash
    if (parts.length != 5 || !parts[2].startsWith("i=")) {
      throw new ConfigException("password", "a PBKDF2 hash reads $pbkdf2-sha256$i=<iterations>$<salt>$<hash>");
    }
    String algorithm = switch (parts[1]) {
      case "pbkdf2-sha256" -> "PBKDF2WithHmacSHA256";
      case "pbkdf2-sha512" -> "PBKDF2WithHmacSHA512";
      default -> throw new ConfigException("password", "'" + parts[1] + "' is not pbkdf2-sha256 or pbkdf2-sha512");
    };
    int iterations;
    try {
      iterations = Integer.parseInt(parts[2].substring(2));
    } catch (NumberFormatException e) {
      throw new ConfigException("password", "the PBKDF2 iteration count is not a number");
    }
    if (iterations < 10_000) {
      throw new ConfigException("password", "a PBKDF2 hash needs at least 10000 iterations (OWASP: 600000 for SHA-256)");
    }
    byte[] salt = PasswordHash.base64(parts[3], "salt");
    byte[] hash = PasswordHash.base64(parts[4], "hash");
    if (salt.length < 8 || hash.length < 16) {
      throw new ConfigException("password", "the PBKDF2 salt (>= 8 bytes) or hash (>= 16 bytes) is too short");
    }
    return new Pbkdf2Hash(algorithm, iterations, salt, hash);
  }

  /** Hashes {@code password} with these parameters (also what {@code hash-secret} uses). */
  static byte[] derive(String algorithm, char[] password, byte[] salt, int iterations, int bytes) {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bytes * 8);
    try {
      return SecretKeyFactory.getInstance(algorithm).generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2 is not available: " + e.getMessage(), e);
    } finally {
      spec.clearPassword();
    }
  }

  @Override
  public long cost() {
    return iterations * (algorithm.endsWith("512") ? 3L : 2L) / 5;
  }

  @Override
  public @Nullable String weakness() {
    return iterations < 100_000 ? "PBKDF2 with " + iterations + " iterations is below 100000 (hash-secret uses 600000)"
        : null;
  }

  @Override
  public String describe() {
    return (algorithm.endsWith("512") ? "pbkdf2-sha512" : "pbkdf2-sha256") + " i=" + iterations;
  }

  @Override
  public String toString() {
    return "Pbkdf2Hash[" + describe() + "]";
  }

  @Override
  public boolean verify(byte[] password) {
    CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(password));
    char[] clear = new char[chars.remaining()];
    chars.get(clear);
    try {
      return MessageDigest.isEqual(hash, derive(algorithm, clear, salt, iterations, hash.length));
    } finally {
      Arrays.fill(clear, '\0');
    }
  }
}
