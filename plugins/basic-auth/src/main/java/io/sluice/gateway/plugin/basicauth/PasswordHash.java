// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.basicauth;

import io.sluice.gateway.api.config.ConfigException;
import java.util.Base64;

/**
 * A stored password hash. Formats (base64 without padding, standard or unpadded alphabet):
 * <ul>
 *   <li>{@code $pbkdf2-sha256$i=<iterations>$<salt>$<hash>} (also {@code pbkdf2-sha512}); what
 *       {@code bin/sluice hash-secret --pbkdf2} prints</li>
 *   <li>bcrypt: {@code $2a$}, {@code $2b$}, {@code $2y$} (e.g. {@code htpasswd -nbBC 10 user pass})</li>
 *   <li>argon2id: {@code $argon2id$v=19$m=<KiB>,t=<iterations>,p=<lanes>$<salt>$<hash>} (the PHC string of
 *       the {@code argon2} CLI)</li>
 * </ul>
 * Verification is slow by design: call it off the event loop.
 */
interface PasswordHash {

  /** Whether {@code password} (UTF-8) matches; compares in constant time. */
  boolean verify(byte[] password);

  /**
   * A rough estimate of one verification's time in microseconds on a current x86 core (PBKDF2-SHA256 about
   * 0.4 µs per iteration, bcrypt about 80 µs per 2^cost, argon2 about 1 µs per KiB and pass). Only used to
   * compare hashes: the decoy for an unknown username is the most expensive configured hash.
   */
  long cost();

  /** Why these parameters are weak (below the OWASP minimums), for a load-time warning; null when they are not. */
  @org.jspecify.annotations.Nullable String weakness();

  /** The kind and parameters, never the salt or the hash: {@code pbkdf2-sha256 i=600000}. */
  String describe();

  static PasswordHash parse(String encoded) {
    if (encoded.startsWith("$pbkdf2-")) {
      return Pbkdf2Hash.parse(encoded);
    }
    if (encoded.startsWith("$2a$") || encoded.startsWith("$2b$") || encoded.startsWith("$2y$")) {
      return BcryptHash.parse(encoded);
    }
    if (encoded.startsWith("$argon2id$")) {
      return Argon2Hash.parse(encoded);
    }
    throw new ConfigException("password", "is not a supported hash ($pbkdf2-sha256$, $2b$ bcrypt, $argon2id$); "
        + "clear passwords are not accepted: make one with bin/sluice hash-secret --pbkdf2");
  }

  static byte[] base64(String text, String what) {
    try {
      return Base64.getDecoder().decode(pad(text.replace('.', '+')));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("password", "the " + what + " is not base64");
    }
  }

  private static String pad(String s) {
    int rest = s.length() % 4;
    return rest == 0 ? s : s + "====".substring(rest);
  }
}
