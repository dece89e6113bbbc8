// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.sluice.gateway.testkit.GatewayHarness;
import io.sluice.gateway.testkit.PluginJar;
import io.sluice.gateway.testkit.TestBackend;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jwt policy in a running gateway, loaded from its shaded plugin jar, with a real JWKS server and backend. */
class JwtPolicyIT {

  @TempDir Path dir;

  @Test
  void admitsValidTokensWithTheirClaimsAndKeepsTheRestFromTheBackend() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
    boolean fromJar = PluginJar.install(dir, "io.sluice.gateway.plugin.jwt.JwtPolicyFactory");
    try (TestBackend backend = new TestBackend();
        JwksServer jwks = new JwksServer(new TestKey("k1", JWSAlgorithm.RS256, new RSASSASigner(key), key.toPublicJWK(), key.toPublicKey()));
        GatewayHarness gateway = GatewayHarness.start(dir, """
            routes:
              - id: orders
                path: /orders/**
                upstream: %s
                policies:
                  - type: jwt
                    config:
                      jwks: { url: "%s" }
                      issuers: ["https://sso.test/realms/acme"]
                      audiences: [orders]
                      groupsClaim: groups
                      claimHeaders: { email: X-User-Email, sub: X-User-Id }
            """.formatted(backend.url(), jwks.url()))) {
      var missing = gateway.get("/orders/1");
      assertThat(missing.status()).isEqualTo(401);
      assertThat(missing.body()).contains("\"key\":\"TOKEN_MISSING\"");
      assertThat(missing.headers().get("WWW-Authenticate")).isEqualTo("Bearer realm=\"sluice\"");

      Instant now = Instant.now();
      JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer("https://sso.test/realms/acme").audience("orders")
          .subject("alice").claim("email", "alice@example.com").claim("groups", List.of("gold"))
          .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)));
      String valid = sign(key, claims.build());
      var ok = gateway.send(HttpMethod.GET, "/orders/1", bearer(valid).add("X-User-Email", "spoofed@example.com"), null);
      assertThat(ok.status()).isEqualTo(200);
      TestBackend.Received received = backend.next();
      assertThat(received.headers().getAll("X-User-Email")).containsExactly("alice@example.com");
      assertThat(received.headers().get("X-User-Id")).isEqualTo("alice");

      String expired = sign(key, claims.expirationTime(Date.from(now.minusSeconds(120))).build());
      var refused = gateway.send(HttpMethod.GET, "/orders/1", bearer(expired), null);
      assertThat(refused.status()).isEqualTo(401);
      assertThat(refused.body()).contains("\"key\":\"TOKEN_EXPIRED\"").doesNotContain(expired);
      assertThat(refused.headers().get("WWW-Authenticate")).contains("error=\"invalid_token\"");

      String otherAudience = sign(key, claims.expirationTime(Date.from(now.plusSeconds(300))).audience("billing").build());
      assertThat(gateway.send(HttpMethod.GET, "/orders/1", bearer(otherAudience), null).status()).isEqualTo(401);
      String forged = new com.nimbusds.jwt.PlainJWT(claims.subject("admin").build()).serialize();
      var two = gateway.send(HttpMethod.GET, "/orders/1", bearer(valid).add("Authorization", "Bearer " + forged), null);
      assertThat(two.status()).as("a second Authorization line is refused, not forwarded").isEqualTo(401);
      assertThat(two.body()).contains("\"key\":\"TOKEN_INVALID\"").contains("more than one token");
      assertThat(backend.hits()).as("only the valid token reached the backend").isEqualTo(1);
      assertThat(jwks.requests()).isEqualTo(1);
      assertThat(fromJar || System.getProperty("sluice.plugin.jar") == null).isTrue();
    }
  }

  /**
   * Under {@code mode: any} a jwt policy does not run when key-auth wins, so the gateway, not the policy,
   * removes the client's copies of its claim headers: a key holder cannot pass {@code X-User-Email} through.
   */
  @Test
  void aClaimHeaderNeverPassesFromTheClientWhenAnotherAuthenticationWins() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
    PluginJar.install(dir, "io.sluice.gateway.plugin.jwt.JwtPolicyFactory");
    try (TestBackend backend = new TestBackend();
        JwksServer jwks = new JwksServer(new TestKey("k1", JWSAlgorithm.RS256, new RSASSASigner(key), key.toPublicJWK(), key.toPublicKey()));
        GatewayHarness gateway = GatewayHarness.start(dir, """
            consumers:
              - id: partner
                credentials:
                  key-auth: [{ key: partner-key }]
            routes:
              - id: api
                path: /**
                upstream: %s
                authentication: { mode: any }
                policies:
                  - type: key-auth
                  - type: jwt
                    config: { jwks: { url: "%s" }, issuers: [it], audiences: ["*"], claimHeaders: { email: X-User-Email } }
            """.formatted(backend.url(), jwks.url()))) {
      var byKey = gateway.send(HttpMethod.GET, "/x",
          MultiMap.caseInsensitiveMultiMap().add("X-API-Key", "partner-key").add("X-User-Email", "ceo@example.com"), null);
      assertThat(byKey.status()).isEqualTo(200);
      TestBackend.Received keyed = backend.next();
      assertThat(keyed.headers().get("X-Consumer-Id")).isEqualTo("partner");
      assertThat(keyed.headers().contains("X-User-Email")).as("the client's claim header is removed").isFalse();

      String token = sign(key, new JWTClaimsSet.Builder().issuer("it").subject("alice").claim("email", "alice@example.com")
          .expirationTime(Date.from(Instant.now().plusSeconds(60))).build());
      var byToken = gateway.send(HttpMethod.GET, "/x", bearer(token).add("X-User-Email", "ceo@example.com"), null);
      assertThat(byToken.status()).isEqualTo(200);
      assertThat(backend.next().headers().getAll("X-User-Email")).containsExactly("alice@example.com");
    }
  }

  @Test
  void verifiesEveryAlgorithmFamilyFromAJwks() throws Exception {
    TestKey rsa = TestKey.rsa("rsa", JWSAlgorithm.RS256);
    List<TestKey> keys = List.of(rsa, rsa.as(JWSAlgorithm.RS384), rsa.as(JWSAlgorithm.RS512), rsa.as(JWSAlgorithm.PS256),
        rsa.as(JWSAlgorithm.PS384), rsa.as(JWSAlgorithm.PS512), TestKey.ec("p256", JWSAlgorithm.ES256),
        TestKey.ec("p384", JWSAlgorithm.ES384), TestKey.ec("p521", JWSAlgorithm.ES512), TestKey.ed25519("ed"));
    PluginJar.install(dir, "io.sluice.gateway.plugin.jwt.JwtPolicyFactory");
    try (TestBackend backend = new TestBackend();
        JwksServer jwks = new JwksServer(keys.stream().filter(k -> k.alg() != JWSAlgorithm.RS384 && k.alg() != JWSAlgorithm.RS512
            && !k.alg().getName().startsWith("PS")).toArray(TestKey[]::new));
        GatewayHarness gateway = GatewayHarness.start(dir, """
            routes:
              - id: api
                path: /**
                upstream: %s
                policies: [ { type: jwt, config: { jwks: { url: "%s" }, issuers: [it], audiences: ["*"], cacheTtl: 0s } } ]
            """.formatted(backend.url(), jwks.url()))) {
      Instant now = Instant.now();
      for (TestKey k : keys) {
        String token = k.sign(new JWTClaimsSet.Builder().issuer("it").subject(k.alg().getName()).expirationTime(Date.from(now.plusSeconds(60))).build());
        var reply = gateway.send(HttpMethod.GET, "/x", bearer(token), null);
        assertThat(reply.status()).as(k.alg().getName()).isEqualTo(200);
      }
      assertThat(backend.hits()).isEqualTo(keys.size());
      assertThat(jwks.requests()).isEqualTo(1);
    }
  }

  @Test
  void bindsInlineKeysFromYamlAndFindsTheTokenInACookie() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).keyID("inline").generate();
    String pem = "-----BEGIN PUBLIC KEY-----\\n"
        + java.util.Base64.getEncoder().encodeToString(key.toPublicKey().getEncoded()) + "\\n-----END PUBLIC KEY-----";
    String secret = "an-it-secret-that-is-long-enough-for-hs256";
    PluginJar.install(dir, "io.sluice.gateway.plugin.jwt.JwtPolicyFactory");
    try (TestBackend backend = new TestBackend();
        GatewayHarness gateway = GatewayHarness.start(dir, """
            routes:
              - id: app
                path: /app/**
                upstream: %s
                policies:
                  - type: jwt
                    config:
                      keys:
                        - { kid: inline, pem: "%s", issuer: it }
                        - { secret: "${env:SLUICE_IT_JWT_SECRET:-%s}", issuer: it }
                      token: { cookie: session }
            """.formatted(backend.url(), pem, secret))) {
      Instant now = Instant.now();
      JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("it").subject("bob").expirationTime(Date.from(now.plusSeconds(60))).build();
      SignedJWT hs = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
      hs.sign(new com.nimbusds.jose.crypto.MACSigner(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      for (String token : List.of(sign(key, claims), hs.serialize())) {
        var ok = gateway.send(HttpMethod.GET, "/app/x", MultiMap.caseInsensitiveMultiMap().add("Cookie", "session=" + token), null);
        assertThat(ok.status()).isEqualTo(200);
      }
      assertThat(gateway.send(HttpMethod.GET, "/app/x", bearer(hs.serialize()), null).status())
          .as("the token is expected in the cookie only").isEqualTo(401);
      assertThat(backend.hits()).isEqualTo(2);
    }
  }

  private static String route(TestBackend backend, String jwks) {
    return """
        routes:
          - id: api
            path: /**
            upstream: %s
            policies: [ { type: jwt, config: { jwks: %s, issuers: [it], audiences: ["*"] } } ]
        """.formatted(backend.url(), jwks);
  }

  private static String token(TestKey key) {
    return key.sign(new JWTClaimsSet.Builder().issuer("it").subject("alice").jwtID(java.util.UUID.randomUUID().toString())
        .expirationTime(Date.from(Instant.now().plusSeconds(300))).build());
  }

  /** Rotation: an unknown kid refetches the set and is admitted; the key the new set dropped is refused at once. */
  @Test
  void aRotatedKeyIsAdmittedByItsKidAndTheRemovedKeyRefusedAfterTheRefetch() throws Exception {
    TestKey a = TestKey.rsa("key-a", JWSAlgorithm.RS256);
    TestKey b = TestKey.ec("key-b", JWSAlgorithm.ES256);
    TestKey c = TestKey.rsa("key-c", JWSAlgorithm.RS256);
    PluginJar.install(dir, "io.sluice.gateway.plugin.jwt.JwtPolicyFactory");
    try (TestBackend backend = new TestBackend(); JwksServer jwks = new JwksServer(a);
        GatewayHarness gateway = GatewayHarness.start(dir,
            route(backend, "{ url: \"%s\", minRefreshInterval: 0s }".formatted(jwks.url())))) {
      String byA = token(a);
      assertThat(gateway.send(HttpMethod.GET, "/x", bearer(byA), null).status()).isEqualTo(200);
      assertThat(jwks.requests()).isEqualTo(1);

      jwks.publish(a, b);
      assertThat(gateway.send(HttpMethod.GET, "/x", bearer(token(b)), null).status())
          .as("key-b is unknown to the cached set: refetched, then admitted").isEqualTo(200);
      assertThat(jwks.requests()).isEqualTo(2);
      assertThat(backend.hits()).isEqualTo(2);

      jwks.publish(b, c);
      assertThat(gateway.send(HttpMethod.GET, "/x", bearer(token(c)), null).status()).isEqualTo(200);
      assertThat(jwks.requests()).isEqualTo(3);
      var cached = gateway.send(HttpMethod.GET, "/x", bearer(byA), null);
      assertThat(cached.status()).as("a token verified by key-a before, now that key-a left the set").isEqualTo(401);
      assertThat(cached.body()).contains("\"key\":\"TOKEN_INVALID\"");
      assertThat(gateway.send(HttpMethod.GET, "/x", bearer(token(a)), null).status()).isEqualTo(401);
      assertThat(backend.hits()).as("no token of the removed key reached the backend").isEqualTo(3);
    }
  }

  /** Without an unknown kid, the refreshInterval schedule drops a removed key too. */
  @Test
  void aKeyRemovedFromTheJwksIsRefusedAfterTheScheduledRefresh() throws Exception {
    TestKey a = TestKey.rsa("key-a", JWSAlgorithm.RS256);
    TestKey b = TestKey.rsa("key-b", JWSAlgorithm.RS256);
    PluginJar.install(dir, "io.sluice.gateway.plugin.jwt.JwtPolicyFactory");
    try (TestBackend backend = new TestBackend(); JwksServer jwks = new JwksServer(a, b);
        GatewayHarness gateway = GatewayHarness.start(dir,
            route(backend, "{ url: \"%s\", refreshInterval: 1s, minRefreshInterval: 0s }".formatted(jwks.url())))) {
      String byA = token(a);
      assertThat(gateway.send(HttpMethod.GET, "/x", bearer(byA), null).status()).isEqualTo(200);
      jwks.publish(b);
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
        var reply = gateway.send(HttpMethod.GET, "/x", bearer(byA), null);
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.body()).contains("\"key\":\"TOKEN_INVALID\"");
      });
      assertThat(jwks.requests()).isGreaterThanOrEqualTo(2);
      int hits = backend.hits();
      assertThat(gateway.send(HttpMethod.GET, "/x", bearer(token(b)), null).status()).isEqualTo(200);
      assertThat(gateway.send(HttpMethod.GET, "/x", bearer(byA), null).status()).isEqualTo(401);
      assertThat(backend.hits()).isEqualTo(hits + 1);
    }
  }

  @Test
  void aJwksServerThatIsDownOnAColdCacheGives503AuthUnavailable() throws Exception {
    TestKey a = TestKey.rsa("key-a", JWSAlgorithm.RS256);
    JwksServer stopped = new JwksServer(a);
    String url = stopped.url();
    stopped.close();
    PluginJar.install(dir, "io.sluice.gateway.plugin.jwt.JwtPolicyFactory");
    try (TestBackend backend = new TestBackend();
        GatewayHarness gateway = GatewayHarness.start(dir, route(backend, "{ url: \"%s\" }".formatted(url)))) {
      var reply = gateway.send(HttpMethod.GET, "/x", bearer(token(a)), null);
      assertThat(reply.status()).isEqualTo(503);
      assertThat(reply.headers().get("Content-Type")).startsWith("application/problem+json");
      assertThat(reply.body()).contains("\"key\":\"AUTH_UNAVAILABLE\"");
      assertThat(reply.headers().get("Retry-After")).isEqualTo("5");
      assertThat(backend.hits()).isZero();
    }
  }

  /**
   * A JWKS answering later than {@code jwks.timeout} is a failed fetch: 503, not a wait for the answer (which
   * would admit the token after the delay). Once the server answers in time, the token is admitted.
   */
  @Test
  @org.junit.jupiter.api.Timeout(30)
  void aJwksSlowerThanTheTimeoutGives503AndTheGatewayRecoversOnceItAnswers() throws Exception {
    TestKey a = TestKey.rsa("key-a", JWSAlgorithm.RS256);
    PluginJar.install(dir, "io.sluice.gateway.plugin.jwt.JwtPolicyFactory");
    try (TestBackend backend = new TestBackend(); JwksServer jwks = new JwksServer(a);
        GatewayHarness gateway = GatewayHarness.start(dir,
            route(backend, "{ url: \"%s\", timeout: 300ms }".formatted(jwks.url())))) {
      jwks.delay(3000);
      String t = token(a);
      var reply = gateway.send(HttpMethod.GET, "/x", bearer(t), null);
      assertThat(reply.status()).isEqualTo(503);
      assertThat(reply.body()).contains("\"key\":\"AUTH_UNAVAILABLE\"");
      assertThat(jwks.requests()).as("the server was asked, and too slow").isEqualTo(1);
      assertThat(backend.hits()).isZero();
      jwks.delay(0);
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(gateway.send(HttpMethod.GET, "/x", bearer(t), null).status()).isEqualTo(200));
      assertThat(backend.hits()).isEqualTo(1);
    }
  }

  /**
   * {@code jwks.timeout} bounds the whole fetch: a JWKS that sends a byte every 20 ms (about 8 s for its key)
   * is never silent for 300 ms, and is still a failed fetch at 300 ms.
   */
  @Test
  @org.junit.jupiter.api.Timeout(30)
  void aJwksTricklingItsAnswerIsCutAtTheTimeout() throws Exception {
    TestKey a = TestKey.rsa("key-a", JWSAlgorithm.RS256);
    PluginJar.install(dir, "io.sluice.gateway.plugin.jwt.JwtPolicyFactory");
    try (TestBackend backend = new TestBackend(); JwksServer jwks = new JwksServer(a);
        GatewayHarness gateway = GatewayHarness.start(dir,
            route(backend, "{ url: \"%s\", timeout: 300ms }".formatted(jwks.url())))) {
      jwks.trickle(20);
      var reply = gateway.send(HttpMethod.GET, "/x", bearer(token(a)), null);
      assertThat(reply.status()).isEqualTo(503);
      assertThat(reply.body()).contains("\"key\":\"AUTH_UNAVAILABLE\"");
      assertThat(backend.hits()).isZero();
    }
  }

  private static String sign(RSAKey key, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private static MultiMap bearer(String token) {
    return MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + token);
  }
}
