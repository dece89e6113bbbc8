// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.basicauth;

import io.sluice.gateway.api.config.ConfigException;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.jspecify.annotations.Nullable;

/** A bcrypt hash ({@code $2a$}, {@code $2b$}, {@code $2y$}), checked with Bouncy Castle's OpenBSDBCrypt. */
record BcryptHash(String encoded) implements PasswordHash {

  static BcryptHash parse(String encoded) {
    // $2b$10$ + 22 salt + 31 hash characters
    if (encoded.length() != 60 || encoded.charAt(6) != '$') {
      throw new ConfigException("password", "a bcrypt hash has 60 characters: $2b$<cost>$<53 characters>");
    }
    int cost;
    try {
      cost = Integer.parseInt(encoded.substring(4, 6));
    } catch (NumberFormatException e) {
      throw new ConfigException("password", "the bcrypt cost is not a number");
    }
    if (cost < 4 || cost > 31) {
      throw new ConfigException("password", "the bcrypt cost must be 4..31");
    }
    return new BcryptHash(encoded);
  }

  @Override
  public boolean verify(byte[] password) {
    // OpenBSDBCrypt takes the password as UTF-8 bytes itself; it limits it to 72 bytes, as bcrypt does.
    try {
      return OpenBSDBCrypt.checkPassword(encoded, password);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private int rounds() {
    return Integer.parseInt(encoded.substring(4, 6));
  }

  @Override
  public long cost() {
    return (1L << rounds()) * 80;
  }

  @Override
  public @Nullable String weakness() {
    return rounds() < 10 ? "bcrypt cost " + rounds() + " is below 10" : null;
  }

  @Override
  public String describe() {
    return "bcrypt cost " + rounds();
  }

  @Override
  public String toString() {
    return "BcryptHash[***]";
  }
}
