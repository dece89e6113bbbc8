// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;

class HashSecretTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String stdin, String... args) {
    return HashSecret.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void printsTheSha256OfAnApiKeyReadFromStdin() {
    assertThat(run("test\n")).isZero();
    // echo -n test | sha256sum
    assertThat(out.toString(StandardCharsets.UTF_8).trim())
        .isEqualTo("sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
  }

  @Test
  void printsAPbkdf2HashThatVerifies() throws Exception {
    assertThat(run("wonderland\n", "--pbkdf2", "--iterations", "10000")).isZero();
    String[] parts = out.toString(StandardCharsets.UTF_8).trim().split("\\$");
    assertThat(parts[1]).isEqualTo("pbkdf2-sha256");
    assertThat(parts[2]).isEqualTo("i=10000");
    byte[] salt = Base64.getDecoder().decode(parts[3]);
    byte[] expected = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
        .generateSecret(new PBEKeySpec("wonderland".toCharArray(), salt, 10000, 256)).getEncoded();
    assertThat(Base64.getDecoder().decode(parts[4])).isEqualTo(expected);
  }

  @Test
  void refusesSecretsOnTheCommandLineAndEmptySecrets() {
    assertThat(run("", "my-secret-key")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("never from arguments");
    assertThat(run("")).isEqualTo(2);
    assertThat(out.size()).isZero();
  }

  @Test
  void warnsOfShortKeysAndFewIterationsWithoutPrintingTheSecret() {
    assertThat(run("test\n")).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("warning: an API key of 4 characters").doesNotContain("test\n");
    err.reset();
    assertThat(run("0123456789abcdef0123\n")).isZero();
    assertThat(err.size()).as("a 20-character key").isZero();
    assertThat(run("wonderland\n", "--pbkdf2", "--iterations", "10000")).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("10000 PBKDF2 iterations are below 100000")
        .doesNotContain("wonderland");
  }
}
