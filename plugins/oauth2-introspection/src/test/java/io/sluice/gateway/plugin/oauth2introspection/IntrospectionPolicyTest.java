// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.oauth2introspection;

import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.Rejection;
import io.sluice.gateway.api.auth.TokenLocation;
import io.sluice.gateway.testkit.CapturedLogs;
import io.sluice.gateway.testkit.FakeExchange;
import io.sluice.gateway.testkit.MutableClock;
import io.sluice.gateway.testkit.PluginArchitecture;
import io.sluice.gateway.testkit.PolicyHarness;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IntrospectionPolicyTest {

  static final PolicyHarness harness = new PolicyHarness();

  final MutableClock clock = new MutableClock(Instant.now());
  final IntrospectionServer server = new IntrospectionServer();

  @AfterAll
  static void closeHarness() {
    harness.close();
  }

  @AfterEach
  void closeServer() {
    server.close();
  }

  IntrospectionConfig config(String url, Duration timeout, Map<String, String> claimHeaders, List<String> audiences) {
    return new IntrospectionConfig(url, IntrospectionServer.CLIENT_ID, IntrospectionServer.CLIENT_SECRET, timeout, null,
        audiences, null, null, "groups", claimHeaders, Duration.ofMinutes(5), Duration.ofSeconds(10), null, null);
  }

  Policy policy() {
    return policy(config(server.url(), Duration.ofSeconds(2), Map.of(), List.of()));
  }

  Policy policy(IntrospectionConfig config) {
    return IntrospectionPolicyFactory.create(config, harness.context("oauth2-introspection"), clock);
  }

  JsonObject active(String sub) {
    return new JsonObject().put("active", true).put("sub", sub).put("scope", "orders:read orders:write")
        .put("groups", new JsonArray().add("gold")).put("exp", clock.instant().plusSeconds(3600).getEpochSecond());
  }

  static FakeExchange bearer(String token) {
    return FakeExchange.request(HttpMethod.GET, "/x").header("Authorization", "Bearer " + token);
  }

  static Rejection run(Policy policy, FakeExchange exchange) {
    return harness.decide(policy, exchange);
  }

  static List<FakeExchange> runConcurrently(Policy policy, List<FakeExchange> exchanges) {
    harness.applyConcurrently(policy, exchanges);
    return exchanges;
  }

  @Test
  void admitsAnActiveTokenWithItsConsumerScopesAndGroups() {
    server.token("t1", active("alice").put("email", "alice@example.com"));
    Policy p = policy(config(server.url(), Duration.ofSeconds(2), Map.of("email", "X-User-Email"), List.of()));
    FakeExchange e = bearer("t1").header("X-User-Email", "spoofed@example.com");
    assertThat(run(p, e)).isNull();
    assertThat(e.consumer()).isEqualTo(new Consumer("alice", Set.of("gold"), Set.of("orders:read", "orders:write"), Map.of()));
    assertThat(e.request().headers().getAll("X-User-Email")).containsExactly("alice@example.com");
  }

  @Test
  void removesTheTokenBeforeProxyingWhenNotForwarded() {
    server.token("t1", active("alice"));
    IntrospectionConfig hidden = new IntrospectionConfig(server.url(), IntrospectionServer.CLIENT_ID,
        IntrospectionServer.CLIENT_SECRET, null, null, null, new TokenLocation(null, null, null, false), null, null,
        null, null, null, null, null);
    FakeExchange e = bearer("t1");
    assertThat(run(policy(hidden), e)).isNull();
    assertThat(e.request().headers().contains("Authorization")).isFalse();
    FakeExchange forwarded = bearer("t1");
    assertThat(run(policy(), forwarded)).isNull();
    assertThat(forwarded.request().headers().get("Authorization")).isEqualTo("Bearer t1");
  }

  @Test
  void namesClientCredentialsTokensByClientIdApartFromSubjects() {
    // Review #4: a client registered as "alice" must not run as the user alice.
    server.token("svc", new JsonObject().put("active", true).put("client_id", "alice"));
    server.token("user", active("alice").put("client_id", "web-app"));
    FakeExchange client = bearer("svc");
    assertThat(run(policy(), client)).isNull();
    assertThat(client.consumer().id()).isEqualTo("client:alice");
    FakeExchange user = bearer("user");
    assertThat(run(policy(), user)).isNull();
    assertThat(user.consumer().id()).isEqualTo("alice");
  }

  @Test
  void refusesARequestCarryingMoreThanOneToken() {
    // Review #5: only one could be introspected, but every one would reach the upstream.
    server.token("t1", active("alice"));
    server.token("t2", active("admin"));
    Rejection two = run(policy(), bearer("t1").header("Authorization", "Bearer t2"));
    assertThat(two.status()).isEqualTo(401);
    assertThat(two.key()).isEqualTo("TOKEN_INVALID");
    assertThat(two.message()).isEqualTo("the request carries more than one token");
    IntrospectionConfig cookie = new IntrospectionConfig(server.url(), IntrospectionServer.CLIENT_ID,
        IntrospectionServer.CLIENT_SECRET, null, null, null, new TokenLocation(null, null, "at"), null, null,
        null, null, null, null, null);
    assertThat(run(policy(cookie), FakeExchange.request(HttpMethod.GET, "/x").header("Cookie", "at=t1; at=t2")).key())
        .isEqualTo("TOKEN_INVALID");
    IntrospectionConfig query = new IntrospectionConfig(server.url(), IntrospectionServer.CLIENT_ID,
        IntrospectionServer.CLIENT_SECRET, null, null, null, new TokenLocation(null, "access_token", null), null, null,
        null, null, null, null, null);
    assertThat(run(policy(query), FakeExchange.request(HttpMethod.GET, "/x?access_token=t1&access_token=t2")).key())
        .isEqualTo("TOKEN_INVALID");
    assertThat(server.calls()).as("nothing was introspected").isZero();
    assertThat(run(policy(cookie), FakeExchange.request(HttpMethod.GET, "/x").header("Cookie", "at=t1; b=2"))).isNull();
  }

  @Test
  void refusesAnInactiveTokenAndRemembersThatBriefly() {
    Policy p = policy();
    Rejection r = run(p, bearer("unknown"));
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.key()).isEqualTo("TOKEN_INVALID");
    assertThat(r.headers().get("WWW-Authenticate")).isEqualTo(
        "Bearer realm=\"sluice\", error=\"invalid_token\", error_description=\"the token is not active\"");
    assertThat(run(p, bearer("unknown")).key()).isEqualTo("TOKEN_INVALID");
    assertThat(server.calls()).as("the negative answer is cached").isEqualTo(1);
    clock.advance(Duration.ofSeconds(10));
    run(p, bearer("unknown"));
    assertThat(server.calls()).as("for negativeCacheTtl only").isEqualTo(2);
  }

  @Test
  void refusesAnActiveAnswerWhoseExpiryHasPassed() {
    server.token("old", active("alice").put("exp", clock.instant().minusSeconds(1).getEpochSecond()));
    assertThat(run(policy(), bearer("old")).key()).isEqualTo("TOKEN_INVALID");
  }

  @Test
  void cachesAnActiveAnswerUntilItsExpiry() {
    server.token("t1", active("alice").put("exp", clock.instant().plusSeconds(60).getEpochSecond()));
    Policy p = policy();
    for (int i = 0; i < 5; i++) {
      assertThat(run(p, bearer("t1"))).isNull();
    }
    assertThat(server.calls()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(59));
    assertThat(run(p, bearer("t1"))).isNull();
    assertThat(server.calls()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    assertThat(run(p, bearer("t1")).key()).as("asked again at exp, and refused (exp has passed)").isEqualTo("TOKEN_INVALID");
    assertThat(server.calls()).isEqualTo(2);
  }

  @Test
  void cachesAnActiveAnswerNoLongerThanTheTtl() {
    server.token("t1", active("alice"));
    Policy p = policy();
    run(p, bearer("t1"));
    clock.advance(Duration.ofMinutes(5));
    assertThat(run(p, bearer("t1"))).isNull();
    assertThat(server.calls()).isEqualTo(2);
  }

  @Test
  void remembersNoMoreAnswersThanCacheSize() {
    for (String t : List.of("t1", "t2", "t3")) {
      server.token(t, active(t));
    }
    Policy bounded = policy(new IntrospectionConfig(server.url(), IntrospectionServer.CLIENT_ID,
        IntrospectionServer.CLIENT_SECRET, Duration.ofSeconds(2), null, List.of(), null, null, "groups", Map.of(),
        Duration.ofMinutes(5), Duration.ofSeconds(10), 2, null));
    Policy roomy = policy(new IntrospectionConfig(server.url(), IntrospectionServer.CLIENT_ID,
        IntrospectionServer.CLIENT_SECRET, Duration.ofSeconds(2), null, List.of(), null, null, "groups", Map.of(),
        Duration.ofMinutes(5), Duration.ofSeconds(10), 3, null));
    for (int round = 0; round < 2; round++) {
      for (String t : List.of("t1", "t2", "t3")) {
        assertThat(run(roomy, bearer(t))).isNull();
      }
    }
    assertThat(server.calls()).as("three answers fit in a cache of three").isEqualTo(3);
    for (int round = 0; round < 2; round++) {
      for (String t : List.of("t1", "t2", "t3")) {
        assertThat(run(bounded, bearer(t))).isNull();
      }
    }
    assertThat(server.calls() - 3).as("a cache of two made room for the third token, so the second round asked again")
        .isBetween(4, 6);
  }

  @Test
  void aFloodOfInactiveTokensNeverPushesAnActiveAnswerOut() {
    server.token("t1", active("alice"));
    Policy p = policy(new IntrospectionConfig(server.url(), IntrospectionServer.CLIENT_ID,
        IntrospectionServer.CLIENT_SECRET, Duration.ofSeconds(2), null, List.of(), null, null, "groups", Map.of(),
        Duration.ofMinutes(5), Duration.ofSeconds(10), 10, null));
    assertThat(run(p, bearer("t1"))).isNull();
    for (int i = 0; i < 50; i++) {
      assertThat(run(p, bearer("made-up-" + i)).key()).isEqualTo("TOKEN_INVALID");
    }
    assertThat(server.calls()).isEqualTo(51);
    assertThat(run(p, bearer("t1"))).isNull();
    assertThat(server.calls()).as("alice's answer is still cached").isEqualTo(51);
  }

  @Test
  void concurrentRequestsWithOneTokenShareOneIntrospection() {
    server.token("t1", active("alice"));
    server.token("t2", active("bob"));
    server.delay(200);
    List<FakeExchange> exchanges = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      exchanges.add(bearer(i % 3 == 0 ? "t2" : "t1"));
    }
    runConcurrently(policy(), exchanges);
    assertThat(exchanges).allSatisfy(e -> assertThat(e.rejected()).isFalse());
    assertThat(exchanges.get(0).consumer().id()).isEqualTo("bob");
    assertThat(exchanges.get(1).consumer().id()).isEqualTo("alice");
    assertThat(server.calls()).as("one call per distinct token").isEqualTo(2);
  }

  @Test
  void waitersOnOtherEventLoopsResumeOnTheirOwn() throws InterruptedException {
    server.token("t1", active("alice"));
    server.delay(200);
    Policy p = policy();
    // A context is sticky to the thread that asked for it: ask from fresh threads for distinct event loops.
    List<io.vertx.core.Context> contexts = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 4; i++) {
      Thread t = new Thread(() -> contexts.add(harness.vertx().getOrCreateContext()));
      t.start();
      t.join();
    }
    assertThat(contexts.stream().distinct().count()).isEqualTo(4);
    List<Future<String>> outcomes = new ArrayList<>();
    for (io.vertx.core.Context context : contexts) {
      Promise<String> resumedOn = Promise.promise();
      outcomes.add(resumedOn.future());
      context.runOnContext(v -> {
        String own = Thread.currentThread().getName();
        p.apply(bearer("t1"), () -> {
          resumedOn.complete(Thread.currentThread().getName().equals(own) ? "own" : "foreign");
          return Future.succeededFuture();
        });
      });
    }
    assertThat(Future.all(outcomes).await().<String>list()).containsOnly("own");
    assertThat(server.calls()).isEqualTo(1);
  }

  @Test
  void failsClosedWith503WhenTheEndpointIsDown() {
    IntrospectionServer gone = new IntrospectionServer();
    String url = gone.url();
    gone.close();
    Rejection r = run(policy(config(url, Duration.ofSeconds(2), Map.of(), List.of())), bearer("t1"));
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.key()).isEqualTo("AUTH_UNAVAILABLE");
  }

  @Test
  void failsClosedWith503WhenTheEndpointIsSlowOrBroken() {
    server.token("t1", active("alice"));
    Policy p = policy(config(server.url(), Duration.ofMillis(300), Map.of(), List.of()));
    server.silent(true);
    assertThat(run(p, bearer("t1")).key()).as("timed out").isEqualTo("AUTH_UNAVAILABLE");
    server.silent(false);
    server.status(500);
    assertThat(run(p, bearer("t1")).key()).isEqualTo("AUTH_UNAVAILABLE");
    server.status(200);
    assertThat(run(p, bearer("t1"))).as("failures are not cached").isNull();
  }

  @Test
  void theTimeoutBoundsTheWholeCallNotOnlyTheSilenceBetweenBytes() {
    server.token("t1", active("alice"));
    server.trickle(40); // about 5 s for the whole answer, never 40 ms without a byte
    Rejection r = run(policy(config(server.url(), Duration.ofMillis(400), Map.of(), List.of())), bearer("t1"));
    assertThat(r).as("an answer that would take 5 s is not waited for past the 400 ms timeout").isNotNull();
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.key()).isEqualTo("AUTH_UNAVAILABLE");
  }

  @Test
  void wrongClientCredentialsAreTheGatewaysFaultNotTheClients() {
    server.token("t1", active("alice"));
    IntrospectionConfig wrong = new IntrospectionConfig(server.url(), "gateway", "wrong", null, null, null, null, null,
        null, null, null, null, null, null);
    Rejection r = run(policy(wrong), bearer("t1"));
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.key()).isEqualTo("AUTH_UNAVAILABLE");
  }

  @Test
  void refusesAnAnswerForAnotherAudience() {
    server.token("t1", active("alice").put("aud", new JsonArray().add("billing")));
    server.token("t2", active("alice").put("aud", "orders"));
    Policy p = policy(config(server.url(), Duration.ofSeconds(2), Map.of(), List.of("orders")));
    assertThat(run(p, bearer("t1")).key()).isEqualTo("TOKEN_CLAIMS_INVALID");
    assertThat(run(p, bearer("t2"))).isNull();
  }

  @Test
  void refusesARequestWithoutToken() {
    Rejection r = run(policy(), FakeExchange.request(HttpMethod.GET, "/x"));
    assertThat(r.key()).isEqualTo("TOKEN_MISSING");
    assertThat(r.headers().get("WWW-Authenticate")).isEqualTo("Bearer realm=\"sluice\"");
    assertThat(server.calls()).isZero();
  }

  @Test
  void neverEchoesTheTokenOrSecret() {
    Rejection r = run(policy(), bearer("very-secret-token"));
    assertThat(r.message() + r.headers().entries()).doesNotContain("very-secret-token");
    assertThat(config(server.url(), Duration.ofSeconds(1), Map.of(), List.of()).toString())
        .doesNotContain(IntrospectionServer.CLIENT_SECRET);
  }

  @Test
  void logsNeitherTokensNorTheClientSecret() {
    try (CapturedLogs logs = CapturedLogs.of("io.sluice.gateway.plugin.oauth2introspection")) {
      server.token("active-token-value", active("alice"));
      Policy p = policy();
      run(p, bearer("active-token-value"));
      run(p, bearer("inactive-token-value"));
      server.status(500);
      run(p, bearer("failing-token-value"));
      assertThat(logs.lines()).anyMatch(l -> l.contains("introspection endpoint")).allSatisfy(line -> assertThat(line)
          .doesNotContain("token-value").doesNotContain(IntrospectionServer.CLIENT_SECRET).doesNotContain("s3cret"));
    }
  }

  @Test
  void refusesBadConfiguration() {
    assertThatThrownBy(() -> IntrospectionConfig.of("ftp://x", "a", "b")).hasMessage("url: 'ftp://x' must be an http:// or https:// URL");
    assertThatThrownBy(() -> IntrospectionConfig.of("https://sso/introspect", "a", "")).hasMessageStartingWith("clientSecret: is required");
    assertThatThrownBy(() -> IntrospectionConfig.of("https://sso/introspect", null, "b")).hasMessage("clientId: is required");
    assertThatThrownBy(() -> config(server.url(), Duration.ZERO, Map.of(), List.of())).hasMessage("timeout: must be > 0");
  }

  @Test
  void usesOnlyThePluginApi() {
    PluginArchitecture.assertUsesOnlyThePluginApi("io.sluice.gateway.plugin.oauth2introspection");
  }
}
