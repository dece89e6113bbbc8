// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.basicauth;

import io.sluice.gateway.api.config.ConfigException;
import java.security.MessageDigest;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.jspecify.annotations.Nullable;

/** {@code $argon2id$v=19$m=65536,t=3,p=4$salt$hash}, checked with Bouncy Castle's Argon2BytesGenerator. */
record Argon2Hash(int version, int memoryKb, int iterations, int lanes, byte[] salt, byte[] hash)
    implements PasswordHash {

  static Argon2Hash parse(String encoded) {
    String[] parts = encoded.split("\\$");
    // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
    if (parts.length != 6 || !parts[2].startsWith("v=")) {
      throw new ConfigException("password", "an argon2id hash reads $argon2id$v=19$m=<KiB>,t=<n>,p=<n>$<salt>$<hash>");
    }
    int version;
    int m = -1;
    int t = -1;
    int p = -1;
    try {
      version = Integer.parseInt(parts[2].substring(2));
      for (String kv : parts[3].split(",")) {
        int v = Integer.parseInt(kv.substring(2));
        switch (kv.substring(0, 2)) {
          case "m=" -> m = v;
          case "t=" -> t = v;
          case "p=" -> p = v;
          default -> throw new ConfigException("password", "unknown argon2 parameter '" + kv + "'");
        }
      }
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      throw new ConfigException("password", "the argon2 parameters are not m=<KiB>,t=<n>,p=<n>");
    }
    if (version != 19 && version != 16) {
      throw new ConfigException("password", "argon2 version must be 19 (or 16)");
    }
    if (m < 8 || t < 1 || p < 1 || m > 4 * 1024 * 1024) {
      throw new ConfigException("password", "argon2 needs m >= 8 (KiB, at most 4GiB), t >= 1, p >= 1");
    }
    byte[] salt = PasswordHash.base64(parts[4], "salt");
    byte[] hash = PasswordHash.base64(parts[5], "hash");
    if (salt.length < 8 || hash.length < 16) {
      throw new ConfigException("password", "the argon2 salt (>= 8 bytes) or hash (>= 16 bytes) is too short");
    }
    return new Argon2Hash(version, m, t, p, salt, hash);
  }

  @Override
  public long cost() {
    return (long) memoryKb * iterations;
  }

  @Override
  public @Nullable String weakness() {
    // OWASP's least: m=19456 (19 MiB) with t=2, or more memory with fewer passes at about the same cost.
    return (long) memoryKb * iterations < 19_456L * 2 ? describe() + " is below m=19456,t=2" : null;
  }

  @Override
  public String describe() {
    return "argon2id m=" + memoryKb + ",t=" + iterations + ",p=" + lanes;
  }

  @Override
  public String toString() {
    return "Argon2Hash[" + describe() + "]";
  }

  @Override
  public boolean verify(byte[] password) {
    Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(version == 19 ? Argon2Parameters.ARGON2_VERSION_13 : Argon2Parameters.ARGON2_VERSION_10)
        .withMemoryAsKB(memoryKb)
        .withIterations(iterations)
        .withParallelism(lanes)
        .withSalt(salt)
        .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(params);
    byte[] out = new byte[hash.length];
    generator.generateBytes(password, out);
    return MessageDigest.isEqual(hash, out);
  }
}
