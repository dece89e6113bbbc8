// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sluice.gateway.testkit.GatewayHarness;
import io.sluice.gateway.testkit.PluginJar;
import io.sluice.gateway.testkit.TestBackend;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The token-minting commands of docs/auth-tokens.md (src/test/resources/mint-test-tokens.sh, the same
 * commands) make tokens that a running gateway accepts: openssl alone for RS256 and HS256, python3-jwt for
 * every family. Skipped where openssl is missing; the Python tokens only where python3-jwt is installed.
 */
class DocumentedTokensIT {

  @TempDir Path dir;

  @Test
  void tokensMintedWithTheDocumentedCommandsAreAccepted() throws Exception {
    Map<String, String> minted = mint();
    String secret = minted.remove("SECRET");
    PluginJar.install(dir, "io.sluice.gateway.plugin.jwt.JwtPolicyFactory");
    StringBuilder routes = new StringBuilder("routes:\n");
    route(routes, "rsa", "{ pem: \"" + pem("rsa.pub.pem") + "\" }");
    route(routes, "hs", "{ secret: \"" + secret + "\" }");
    if (Files.exists(dir.resolve("ec.pub.pem"))) {
      route(routes, "ec", "{ pem: \"" + pem("ec.pub.pem") + "\" }");
      route(routes, "ed", "{ pem: \"" + pem("ed.pub.pem") + "\" }");
    }
    try (TestBackend backend = new TestBackend();
        GatewayHarness gateway = GatewayHarness.start(dir, routes.toString().formatted(backend.url()), 1)) {
      int accepted = 0;
      for (Map.Entry<String, String> t : minted.entrySet()) {
        String alg = t.getKey().substring(t.getKey().indexOf('-') + 1);
        String path = alg.startsWith("HS") ? "/hs/x" : alg.startsWith("ES") ? "/ec/x" : alg.equals("EdDSA") ? "/ed/x" : "/rsa/x";
        var reply = gateway.send(HttpMethod.GET, path,
            MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + t.getValue()), null);
        assertThat(reply.status()).as(t.getKey() + ": " + reply.body()).isEqualTo(200);
        assertThat(backend.next().headers().get("X-Consumer-Id")).isEqualTo("alice");
        accepted++;
      }
      assertThat(accepted).isGreaterThanOrEqualTo(2);
      var tampered = gateway.send(HttpMethod.GET, "/hs/x", MultiMap.caseInsensitiveMultiMap()
          .add("Authorization", "Bearer " + minted.get("openssl-HS256") + "x"), null);
      assertThat(tampered.status()).isEqualTo(401);
      assertThat(tampered.body()).doesNotContain("eyJ");
      assertThat(backend.hits()).as("the tampered token never reaches the backend").isEqualTo(accepted);
      int exchanges = accepted + 1;
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
          .until(() -> gateway.accessLog().size() >= exchanges);
      assertThat(gateway.accessLog()).hasSize(exchanges).noneMatch(line -> line.contains("eyJ") || line.contains(secret));
    }
  }

  private static void route(StringBuilder routes, String id, String key) {
    routes.append("""
          - id: %1$s
            path: /%1$s/**
            upstream: %%1$s
            policies:
              - type: jwt
                config: { keys: [ %2$s ], issuers: [billing-service], audiences: [orders-api] }
        """.formatted(id, key));
  }

  private String pem(String file) throws IOException {
    return Files.readString(dir.resolve(file)).strip().replace("\n", "\\n");
  }

  /** CI ({@code SLUICE_REQUIRE_TOOLS=1}): every documented tool must be there, none of its tokens skipped. */
  private static final boolean REQUIRED = "1".equals(System.getenv("SLUICE_REQUIRE_TOOLS"));

  private Map<String, String> mint() throws Exception {
    Path script = Path.of("src/test/resources/mint-test-tokens.sh");
    assumeTrue(Files.exists(script), "run from the module directory");
    Process which = new ProcessBuilder("sh", "-c", "command -v openssl").start();
    boolean openssl = which.waitFor() == 0;
    assertThat(openssl || !REQUIRED).as("openssl is installed (SLUICE_REQUIRE_TOOLS=1)").isTrue();
    assumeTrue(openssl, "openssl is not installed");
    Process p = new ProcessBuilder("bash", script.toAbsolutePath().toString()).directory(dir.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    Map<String, String> tokens = new LinkedHashMap<>();
    for (String line : out.split("\n")) {
      int space = line.indexOf(' ');
      if (space > 0) {
        tokens.put(line.substring(0, space), line.substring(space + 1).trim());
      }
    }
    assertThat(tokens).containsKeys("SECRET", "openssl-RS256", "openssl-HS256");
    if (REQUIRED) {
      assertThat(tokens).as("python3-jwt's tokens (SLUICE_REQUIRE_TOOLS=1)").containsKeys("python-RS256", "python-ES256", "python-EdDSA");
    }
    return tokens;
  }
}
