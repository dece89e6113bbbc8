// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.Rejection;
import io.sluice.gateway.testkit.CapturedLogs;
import io.sluice.gateway.testkit.FakeExchange;
import io.sluice.gateway.testkit.MutableClock;
import io.sluice.gateway.testkit.PolicyHarness;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The jwt policy against a real JWKS server: rotation, removal, the kid-flood rate limit, outages. */
class JwksKeysTest {

  static final PolicyHarness harness = new PolicyHarness();
  static final TestKey A = TestKey.rsa("key-a", JWSAlgorithm.RS256);
  static final TestKey B = TestKey.ec("key-b", JWSAlgorithm.ES256);

  final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T12:00:00Z"));

  @AfterAll
  static void close() {
    harness.close();
  }

  Policy policy(JwksServer server) {
    JwksConfig jwks = new JwksConfig(server.url(), Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofSeconds(2));
    return JwtPolicyFactory.create(new ConfigBuilder().jwks(jwks).issuers("https://sso.test").audiences("*").build(),
        harness.context("jwt"), clock);
  }

  String token(TestKey key) {
    return key.sign(new JWTClaimsSet.Builder().issuer("https://sso.test").subject("alice").jwtID(UUID.randomUUID().toString())
        .expirationTime(Date.from(clock.instant().plusSeconds(600))).build());
  }

  static FakeExchange bearer(String token) {
    return FakeExchange.request(HttpMethod.GET, "/x").header("Authorization", "Bearer " + token);
  }

  static Rejection run(Policy policy, String token) {
    return harness.decide(policy, bearer(token));
  }

  /** Starts every exchange in the same event-loop turn (truly concurrent for the policy), waits for all. */
  static List<FakeExchange> runConcurrently(Policy policy, List<String> tokens) {
    List<FakeExchange> exchanges = tokens.stream().map(JwksKeysTest::bearer).toList();
    harness.applyConcurrently(policy, exchanges);
    return exchanges;
  }

  @Test
  void fetchesTheKeySetOnceForConcurrentFirstRequests() {
    try (JwksServer server = new JwksServer(A, B)) {
      Policy p = policy(server);
      List<String> tokens = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        tokens.add(token(i % 2 == 0 ? A : B));
      }
      List<FakeExchange> done = runConcurrently(p, tokens);
      assertThat(done).allSatisfy(e -> assertThat(e.rejected()).isFalse());
      assertThat(server.requests()).as("one fetch shared by every waiting request").isEqualTo(1);
      assertThat(run(p, token(A))).isNull();
      assertThat(server.requests()).isEqualTo(1);
    }
  }

  @Test
  void waitersOnOtherEventLoopsResumeOnTheirOwn() {
    try (JwksServer server = new JwksServer(A)) {
      server.delay(200);
      Policy p = policy(server);
      // A context is sticky to the thread that asked for it: ask from fresh threads for distinct event loops.
      List<io.vertx.core.Context> contexts = java.util.Collections.synchronizedList(new ArrayList<>());
      for (int i = 0; i < 4; i++) {
        Thread t = new Thread(() -> contexts.add(harness.vertx().getOrCreateContext()));
        t.start();
        try {
          t.join();
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
      }
      assertThat(contexts.stream().distinct().count()).isEqualTo(4);
      List<Future<String>> threads = new ArrayList<>();
      for (io.vertx.core.Context context : contexts) {
        Promise<String> resumedOn = Promise.promise();
        threads.add(resumedOn.future());
        context.runOnContext(v -> {
          String own = Thread.currentThread().getName();
          FakeExchange e = bearer(token(A));
          p.apply(e, () -> {
            resumedOn.complete(Thread.currentThread().getName().equals(own) ? "own" : "foreign " + Thread.currentThread().getName());
            return Future.succeededFuture();
          });
        });
      }
      List<String> outcomes = Future.all(threads).await().list();
      assertThat(outcomes).containsOnly("own");
      assertThat(server.requests()).isEqualTo(1);
    }
  }

  @Test
  void picksUpARotatedKeyByItsUnknownKid() {
    try (JwksServer server = new JwksServer(A)) {
      Policy p = policy(server);
      assertThat(run(p, token(A))).isNull();
      server.publish(A, B);
      clock.advance(Duration.ofSeconds(30));
      assertThat(run(p, token(B))).as("unknown kid: refetched, then accepted").isNull();
      assertThat(server.requests()).isEqualTo(2);
    }
  }

  @Test
  void refusesATokenSignedByAKeyRemovedFromTheSet() {
    try (JwksServer server = new JwksServer(A, B)) {
      Policy p = policy(server);
      String signedByA = token(A);
      assertThat(run(p, signedByA)).isNull();
      server.publish(B);
      clock.advance(Duration.ofMinutes(10));
      assertThat(run(p, token(B))).as("the stale set still serves this request, and is refetched behind it").isNull();
      await().atMost(Duration.ofSeconds(5)).until(() -> server.requests() == 2);
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        Rejection r = run(p, signedByA);
        assertThat(r).as("even though the token was cached when key-a verified it").isNotNull();
        assertThat(r.key()).isEqualTo("TOKEN_INVALID");
      });
      assertThat(run(p, token(A))).isNotNull();
    }
  }

  @Test
  void aFloodOfRandomKidsCannotHammerTheJwksServer() {
    try (JwksServer server = new JwksServer(A)) {
      Policy p = policy(server);
      assertThat(run(p, token(A))).isNull();
      TestKey attacker = TestKey.rsa("x", JWSAlgorithm.RS256);
      List<String> flood = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        flood.add(attacker.sign(new JWTClaimsSet.Builder().subject("x").build(), UUID.randomUUID().toString()));
      }
      assertThat(runConcurrently(p, flood)).allSatisfy(e -> assertThat(e.rejection().key()).isEqualTo("TOKEN_INVALID"));
      assertThat(server.requests()).as("within minRefreshInterval of the last fetch: none").isEqualTo(1);
      clock.advance(Duration.ofSeconds(30));
      assertThat(runConcurrently(p, flood)).allSatisfy(e -> assertThat(e.rejection().key()).isEqualTo("TOKEN_INVALID"));
      assertThat(server.requests()).as("one fetch per interval, however many unknown kids").isEqualTo(2);
      for (String t : flood.subList(0, 20)) {
        run(p, t);
      }
      assertThat(server.requests()).isEqualTo(2);
    }
  }

  @Test
  void answers503WhileNoKeysCanBeFetchedAndRecovers() {
    try (JwksServer server = new JwksServer(A)) {
      server.status(500);
      Policy p = policy(server);
      Rejection r = run(p, token(A));
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.key()).isEqualTo("AUTH_UNAVAILABLE");
      assertThat(run(p, token(A)).key()).as("retried at most once a second while there are no keys").isEqualTo("AUTH_UNAVAILABLE");
      assertThat(server.requests()).isEqualTo(1);
      server.status(200);
      clock.advance(Duration.ofSeconds(1));
      assertThat(run(p, token(A))).isNull();
      assertThat(server.requests()).isEqualTo(2);
    }
  }

  @Test
  void keepsThePreviousKeysWhenARefreshFails() {
    try (JwksServer server = new JwksServer(A)) {
      Policy p = policy(server);
      assertThat(run(p, token(A))).isNull();
      server.status(500);
      clock.advance(Duration.ofMinutes(10));
      assertThat(run(p, token(A))).isNull();
      await().atMost(Duration.ofSeconds(5)).until(() -> server.requests() == 2);
      assertThat(run(p, token(A))).as("the failed refresh kept key-a").isNull();
    }
  }

  @Test
  void logsNeitherTokensNorKeyMaterial() {
    try (CapturedLogs logs = CapturedLogs.of("io.sluice.gateway.plugin.jwt"); JwksServer server = new JwksServer(A)) {
      Policy p = policy(server);
      String good = token(A);
      String forged = TestKey.rsa("key-a", JWSAlgorithm.RS256).sign(new JWTClaimsSet.Builder().subject("x").build());
      run(p, good);
      run(p, forged);
      server.status(500);
      clock.advance(Duration.ofMinutes(10));
      run(p, good);
      await().atMost(Duration.ofSeconds(5)).until(() -> logs.lines().stream().anyMatch(l -> l.contains("could not be fetched")));
      String modulus = ((com.nimbusds.jose.jwk.RSAKey) A.publicJwk()).getModulus().toString();
      assertThat(logs.lines()).isNotEmpty().allSatisfy(line -> assertThat(line)
          .doesNotContain(good).doesNotContain(good.split("\\.")[2]).doesNotContain(forged.split("\\.")[1])
          .doesNotContain(modulus));
    }
  }

  @Test
  void answers503WhenTheServerIsDown() {
    JwksServer server = new JwksServer(A);
    String url = server.url();
    server.close();
    Policy p = JwtPolicyFactory.create(new ConfigBuilder().jwks(JwksConfig.of(url)).issuers("https://sso.test").audiences("*").build(),
        harness.context("jwt"), clock);
    assertThat(run(p, token(A)).key()).isEqualTo("AUTH_UNAVAILABLE");
  }
}
