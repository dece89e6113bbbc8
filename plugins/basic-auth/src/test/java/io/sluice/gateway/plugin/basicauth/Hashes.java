// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.basicauth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.params.Argon2Parameters;

/** Password hashes of each kind, made the way the documented tools make them. */
final class Hashes {

  private static final byte[] SALT = "sixteen byte slt".getBytes(StandardCharsets.US_ASCII);
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

  private Hashes() {}

  static String pbkdf2(String password) {
    byte[] hash = Pbkdf2Hash.derive("PBKDF2WithHmacSHA256", password.toCharArray(), SALT, 10_000, 32);
    return "$pbkdf2-sha256$i=10000$" + B64.encodeToString(SALT) + "$" + B64.encodeToString(hash);
  }

  static String bcrypt(String password) {
    return OpenBSDBCrypt.generate("2b", password.getBytes(StandardCharsets.UTF_8), SALT, 4);
  }

  static String argon2(String password) {
    Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13).withMemoryAsKB(64).withIterations(2).withParallelism(1)
        .withSalt(SALT).build();
    Argon2BytesGenerator gen = new Argon2BytesGenerator();
    gen.init(params);
    byte[] out = new byte[32];
    gen.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
    return "$argon2id$v=19$m=64,t=2,p=1$" + B64.encodeToString(SALT) + "$" + B64.encodeToString(out);
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
