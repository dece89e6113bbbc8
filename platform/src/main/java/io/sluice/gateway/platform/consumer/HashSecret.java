// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.consumer;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * {@code bin/sluice hash-secret [--sha256 | --pbkdf2 [--iterations N]]}: reads one secret from stdin (never from
 * the command line, where it would sit in the shell history and the process list) and prints what goes in
 * the configuration: {@code sha256:<hex>} for an API key ({@code key-auth}), or
 * {@code $pbkdf2-sha256$i=<n>$<salt>$<hash>} for a password ({@code basic-auth}). On a terminal the secret is
 * read without echo.
 */
public final class HashSecret {

  /** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
  static final int DEFAULT_ITERATIONS = 600_000;

  private HashSecret() {}

  /** @return the exit code: 0 printed, 2 bad usage or empty secret */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    boolean pbkdf2 = false;
    int iterations = DEFAULT_ITERATIONS;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--sha256" -> pbkdf2 = false;
        case "--pbkdf2" -> pbkdf2 = true;
        case "--iterations" -> {
          if (i + 1 >= args.length) {
            return usage(err, "--iterations needs a number");
          }
          try {
            iterations = Integer.parseInt(args[++i]);
          } catch (NumberFormatException e) {
            return usage(err, "--iterations needs a number");
          }
          if (iterations < 10_000) {
            return usage(err, "--iterations must be at least 10000");
          }
        }
        case "--help", "-h" -> {
          usage(err, null);
          return 0;
        }
        default -> {
          return usage(err, "unknown argument '" + args[i] + "' (the secret is read from stdin, never from arguments)");
        }
      }
    }
    char[] secret;
    try {
      secret = read(in, err, pbkdf2 ? "password: " : "API key: ");
    } catch (IOException e) {
      err.println("hash-secret: cannot read stdin: " + e.getMessage());
      return 2;
    }
    if (secret.length == 0) {
      err.println("hash-secret: the secret is empty");
      return 2;
    }
    if (!pbkdf2 && secret.length < 16) {
      // An unsalted SHA-256 of a short key is found by brute force from the configuration.
      err.println("hash-secret: warning: an API key of " + secret.length + " characters can be guessed from its"
          + " digest; use at least 16 random characters (openssl rand -hex 24)");
    } else if (pbkdf2 && iterations < 100_000) {
      err.println("hash-secret: warning: " + iterations + " PBKDF2 iterations are below 100000 (OWASP: 600000)");
    }
    try {
      out.println(pbkdf2 ? pbkdf2(secret, iterations) : sha256(secret));
    } finally {
      Arrays.fill(secret, '\0');
    }
    return 0;
  }

  static String sha256(char[] secret) {
    try {
      byte[] bytes = new String(secret).getBytes(StandardCharsets.UTF_8);
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String pbkdf2(char[] secret, int iterations) {
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    PBEKeySpec spec = new PBEKeySpec(secret, salt, iterations, 256);
    try {
      byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
      Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
      return "$pbkdf2-sha256$i=" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    } finally {
      spec.clearPassword();
    }
  }

  /** One line of stdin without its line end; from the console without echo when there is one. */
  private static char[] read(InputStream in, PrintStream err, String prompt) throws IOException {
    Console console = System.console();
    if (in == System.in && console != null) {
      char[] line = console.readPassword(prompt);
      return line == null ? new char[0] : line;
    }
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String line = reader.readLine();
    return line == null ? new char[0] : line.toCharArray();
  }

  private static int usage(PrintStream err, String error) {
    if (error != null) {
      err.println("hash-secret: " + error);
    }
    err.println("usage: sluice hash-secret [--sha256 | --pbkdf2 [--iterations N]] < secret");
    return 2;
  }
}
