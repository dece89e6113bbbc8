// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.basicauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sluice.gateway.testkit.GatewayHarness;
import io.sluice.gateway.testkit.TestBackend;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hashing commands of docs/authentication.md ("Hashing secrets") make credentials a running gateway
 * accepts: sha256sum for an API key, htpasswd for bcrypt, the argon2 CLI for argon2id. Each is skipped where
 * its tool is missing (Debian: coreutils, apache2-utils, argon2), except under {@code SLUICE_REQUIRE_TOOLS=1}
 * (CI), where a missing tool fails.
 */
class DocumentedHashesIT {

  @TempDir Path dir;

  @Test
  void hashesMadeWithTheDocumentedCommandsAuthenticate() throws Exception {
    assumeTrue(has("sha256sum") && has("openssl"), "coreutils and openssl");
    String key = sh("openssl rand -hex 24");
    String digest = sh("printf '%s' '" + key + "' | sha256sum | sed 's/^/sha256:/; s/ .*//'");
    assertThat(digest).startsWith("sha256:").hasSize(71);
    String bcrypt = has("htpasswd") ? sh("printf '%s' bob-pw | htpasswd -niBC 12 bob | cut -d: -f2-") : null;
    String argon2 = has("argon2")
        ? sh("PW=carol-pw; printf '%s' \"$PW\" | argon2 \"$(openssl rand -base64 12)\" -id -t 3 -m 16 -p 1 -e") : null;
    StringBuilder yaml = new StringBuilder("consumers:\n  - id: alice\n    credentials: { key-auth: [ { key: \"")
        .append(digest).append("\" } ] }\n");
    if (bcrypt != null) {
      yaml.append("  - id: bob\n    credentials: { basic-auth: [ { username: bob, password: '").append(bcrypt).append("' } ] }\n");
    }
    if (argon2 != null) {
      yaml.append("  - id: carol\n    credentials: { basic-auth: [ { username: carol, password: '").append(argon2)
          .append("' } ] }\n");
    }
    yaml.append("""
        routes:
          - id: key
            path: /key/**
            upstream: %1$s
            policies: [ { type: key-auth } ]
          - id: basic
            path: /basic/**
            upstream: %1$s
            policies: [ { type: basic-auth } ]
        """);
    try (TestBackend backend = new TestBackend();
        GatewayHarness gateway = GatewayHarness.start(dir, yaml.toString().formatted(backend.url()))) {
      int hits = 0;
      assertThat(gateway.send(HttpMethod.GET, "/key/x", headers("X-API-Key", key), null).status()).isEqualTo(200);
      assertThat(backend.next().headers().get("X-Consumer-Id")).isEqualTo("alice");
      hits++;
      if (bcrypt != null) {
        assertThat(gateway.send(HttpMethod.GET, "/basic/x", headers("Authorization", Hashes.basic("bob", "bob-pw")), null)
            .status()).as(bcrypt).isEqualTo(200);
        assertThat(backend.next().headers().get("X-Consumer-Id")).isEqualTo("bob");
        hits++;
      }
      if (argon2 != null) {
        assertThat(gateway.send(HttpMethod.GET, "/basic/x", headers("Authorization", Hashes.basic("carol", "carol-pw")),
            null).status()).as(argon2).isEqualTo(200);
        assertThat(backend.next().headers().get("X-Consumer-Id")).isEqualTo("carol");
        hits++;
      }
      assertThat(gateway.send(HttpMethod.GET, "/key/x", headers("X-API-Key", key + "x"), null).status()).isEqualTo(401);
      assertThat(backend.hits()).isEqualTo(hits);
    }
  }

  private static MultiMap headers(String name, String value) {
    return MultiMap.caseInsensitiveMultiMap().add(name, value);
  }

  /** Whether the tool is installed; under {@code SLUICE_REQUIRE_TOOLS=1} (CI) a missing one fails the test. */
  private static boolean has(String tool) throws Exception {
    boolean found = new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0;
    if (!found && "1".equals(System.getenv("SLUICE_REQUIRE_TOOLS"))) {
      throw new AssertionError(tool + " is not installed and SLUICE_REQUIRE_TOOLS=1 (.ci/run installs it)");
    }
    return found;
  }

  private static String sh(String command) throws Exception {
    Process p = new ProcessBuilder("bash", "-c", command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(command).isZero();
    return out;
  }
}
