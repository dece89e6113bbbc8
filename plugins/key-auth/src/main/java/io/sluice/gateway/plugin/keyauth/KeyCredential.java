// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.keyauth;

import io.sluice.gateway.api.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One API key of a consumer, under {@code credentials: key-auth:}: {@code {key: "sha256:<64 hex digits>"}}
 * (the SHA-256 of the key, as {@code bin/sluice hash-secret --sha256} prints it), or the key itself in clear
 * (discouraged: anyone who reads the config can use it).
 *
 * @param key the digest ({@code sha256:...}) or the clear key
 * @param scopes what the key grants ({@code Consumer.scopes()}, for the {@code scopes} policy); none by default
 */
public record KeyCredential(String key, java.util.Set<String> scopes) {

  /** A key without scopes. */
  public KeyCredential(String key) {
    this(key, null);
  }

  static final String PREFIX = "sha256:";

  public KeyCredential {
    scopes = scopes != null ? java.util.Set.copyOf(scopes) : java.util.Set.of();
    if (key == null || key.isEmpty()) {
      throw new ConfigException("key", "is required");
    }
    if (key.startsWith(PREFIX)) {
      String hex = key.substring(PREFIX.length());
      if (hex.length() != 64 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        throw new ConfigException("key", "a sha256: digest must have 64 hex digits");
      }
    }
  }

  /** The SHA-256 of the key. */
  byte[] digest() {
    return key.startsWith(PREFIX) ? HexFormat.of().parseHex(key.substring(PREFIX.length())) : sha256(key);
  }

  static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "KeyCredential[key=***]";
  }
}
