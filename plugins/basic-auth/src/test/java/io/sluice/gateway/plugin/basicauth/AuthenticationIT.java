// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.basicauth;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testkit.GatewayHarness;
import io.sluice.gateway.testkit.TestBackend;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * basic-auth with every hash kind, and authentication combined on one route (any of / all of / anonymous)
 * with key-auth, acl and scopes, through a running gateway and a real backend.
 */
class AuthenticationIT {

  @TempDir Path dir;

  private static MultiMap headers(String... namesAndValues) {
    MultiMap m = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      m.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return m;
  }

  private String config(TestBackend backend) {
    return """
        consumers:
          - id: alice
            groups: [staff]
            credentials:
              basic-auth: [{ username: alice, password: "%s" }]
              key-auth: [{ key: alice-key, scopes: [orders:read, orders:write] }]
          - id: bob
            groups: [partners]
            credentials:
              basic-auth: [{ username: bob, password: "%s" }]
              key-auth: [{ key: bob-key, scopes: [orders:read] }]
          - id: carol
            groups: [staff, banned]
            credentials:
              basic-auth: [{ username: carol, password: "%s" }]
          - id: guest
            groups: [public]
        routes:
          - id: basic
            path: /basic/**
            upstream: %4$s
            policies: [ { type: basic-auth, config: { realm: shop } } ]
          - id: any
            path: /any/**
            upstream: %4$s
            authentication: { mode: any }
            policies: [ { type: key-auth }, { type: basic-auth, config: { realm: shop } } ]
          - id: shared
            path: /shared/**
            upstream: %4$s
            authentication: { mode: any, anonymous: guest }
            policies: [ { type: key-auth, config: { header: Authorization } }, { type: basic-auth, config: { realm: shop } } ]
          - id: query
            path: /query/**
            upstream: %4$s
            policies: [ { type: key-auth, config: { queryParam: apikey } } ]
          - id: all
            path: /all/**
            upstream: %4$s
            authentication: { mode: all }
            policies: [ { type: key-auth }, { type: basic-auth, config: { realm: shop } } ]
          - id: anon
            path: /anon/**
            upstream: %4$s
            authentication: { anonymous: guest }
            policies: [ { type: key-auth }, { type: basic-auth } ]
          - id: staff
            path: /staff/**
            upstream: %4$s
            policies: [ { type: acl, config: { allow: [staff], deny: [banned] } }, { type: basic-auth } ]
          - id: write
            path: /write/**
            upstream: %4$s
            policies: [ { type: key-auth }, { type: scopes, config: { required: [orders:write] } } ]
        """.formatted(Hashes.pbkdf2("alice-pw").replace("$", "$"), Hashes.bcrypt("bob-pw"), Hashes.argon2("carol-pw"),
        backend.url());
  }

  @Test
  void basicAuthWithEachHashKindAndTheSameRefusalForUnknownUsers() throws Exception {
    try (TestBackend backend = new TestBackend(); GatewayHarness gateway = GatewayHarness.start(dir, config(backend))) {
      for (String user : new String[] {"alice", "bob", "carol"}) {
        var ok = gateway.send(HttpMethod.GET, "/basic/x", headers("Authorization", Hashes.basic(user, user + "-pw")), null);
        assertThat(ok.status()).as(user).isEqualTo(200);
        TestBackend.Received got = backend.next();
        assertThat(got.headers().get("X-Consumer-Id")).isEqualTo(user);
        assertThat(got.headers().contains("Authorization")).isFalse();
      }
      var wrong = gateway.send(HttpMethod.GET, "/basic/x", headers("Authorization", Hashes.basic("alice", "bob-pw")), null);
      var unknown = gateway.send(HttpMethod.GET, "/basic/x", headers("Authorization", Hashes.basic("mallory", "x")), null);
      assertThat(wrong.status()).isEqualTo(401);
      assertThat(wrong.headers().get("WWW-Authenticate")).isEqualTo("Basic realm=\"shop\", charset=\"UTF-8\"");
      assertThat(body(wrong.body())).isEqualTo(body(unknown.body())).contains("CREDENTIALS_INVALID");
      assertThat(gateway.get("/basic/x").body()).contains("CREDENTIALS_MISSING");
      assertThat(backend.hits()).isEqualTo(3);
    }
  }

  /** The body without the request-specific parts (request id, instance). */
  private static String body(String json) {
    return json.replaceAll("\"(requestId|instance)\":\"[^\"]*\",?", "");
  }

  @Test
  void anyOfTakesTheFirstSchemeThatSucceedsAndListsEverySchemeWhenNoneDoes() throws Exception {
    try (TestBackend backend = new TestBackend(); GatewayHarness gateway = GatewayHarness.start(dir, config(backend))) {
      assertThat(gateway.send(HttpMethod.GET, "/any/x", headers("X-API-Key", "bob-key"), null).status()).isEqualTo(200);
      assertThat(backend.next().headers().get("X-Consumer-Id")).isEqualTo("bob");
      assertThat(gateway.send(HttpMethod.GET, "/any/x", headers("Authorization", Hashes.basic("alice", "alice-pw")), null)
          .status()).isEqualTo(200);
      assertThat(backend.next().headers().get("X-Consumer-Id")).isEqualTo("alice");

      var none = gateway.get("/any/x");
      assertThat(none.status()).isEqualTo(401);
      assertThat(none.body()).contains("\"key\":\"AUTH_MISSING\"");
      assertThat(none.headers().getAll("WWW-Authenticate"))
          .containsExactly("ApiKey realm=\"sluice\"", "Basic realm=\"shop\", charset=\"UTF-8\"");
      var badKey = gateway.send(HttpMethod.GET, "/any/x", headers("X-API-Key", "forged"), null);
      assertThat(badKey.status()).isEqualTo(401);
      assertThat(badKey.body()).contains("\"key\":\"API_KEY_INVALID\"");
      assertThat(badKey.headers().getAll("WWW-Authenticate")).hasSize(2);
      assertThat(backend.hits()).isEqualTo(2);
    }
  }

  /**
   * key-auth reading {@code Authorization} beside basic-auth: each policy changes the request only once it
   * accepts, so key-auth's refusal of a Basic header leaves it for basic-auth, and the winner's credential is
   * the one removed. A wrong Basic password is a presented credential: refused, never the anonymous consumer.
   */
  @Test
  void anyOfPoliciesSharingAuthorizationEachSeeTheHeaderAsItCame() throws Exception {
    try (TestBackend backend = new TestBackend(); GatewayHarness gateway = GatewayHarness.start(dir, config(backend))) {
      assertThat(gateway.send(HttpMethod.GET, "/shared/x", headers("Authorization", Hashes.basic("alice", "alice-pw")), null)
          .status()).isEqualTo(200);
      TestBackend.Received basic = backend.next();
      assertThat(basic.headers().get("X-Consumer-Id")).isEqualTo("alice");
      assertThat(basic.headers().contains("Authorization")).isFalse();
      assertThat(gateway.send(HttpMethod.GET, "/shared/x", headers("Authorization", "bob-key"), null).status())
          .isEqualTo(200);
      TestBackend.Received key = backend.next();
      assertThat(key.headers().get("X-Consumer-Id")).isEqualTo("bob");
      assertThat(key.headers().contains("Authorization")).isFalse();

      var wrong = gateway.send(HttpMethod.GET, "/shared/x", headers("Authorization", Hashes.basic("alice", "bob-pw")), null);
      assertThat(wrong.status()).isEqualTo(401);
      assertThat(wrong.body()).doesNotContain("alice-pw").doesNotContain("bob-pw");
      assertThat(wrong.headers().getAll("WWW-Authenticate"))
          .containsExactlyInAnyOrder("ApiKey realm=\"sluice\"", "Basic realm=\"shop\", charset=\"UTF-8\"");
      assertThat(gateway.get("/shared/x").status()).as("no credential at all: the anonymous consumer").isEqualTo(200);
      assertThat(backend.next().headers().get("X-Consumer-Id")).isEqualTo("guest");
      assertThat(backend.hits()).isEqualTo(3);
    }
  }

  /**
   * Right and wrong credentials of every kind, in headers and the query string: none reaches the access log
   * (read back from its file) or a refusal's body, and no refusal reaches the backend.
   */
  @Test
  void credentialsNeverReachTheAccessLogOrErrorDetails() throws Exception {
    try (TestBackend backend = new TestBackend();
        GatewayHarness gateway = GatewayHarness.start(dir, config(backend), 1)) {
      String[][] refused = {
          {"/basic/x", "Authorization", Hashes.basic("alice", "wrong-secret-pw")},
          {"/basic/x", "Authorization", Hashes.basic("mallory-secret-user", "x")},
          {"/any/x", "X-API-Key", "forged-secret-key"},
          {"/query/x?apikey=forged-query-key", "X-Other", "not-a-credential"},
          {"/query/x?APIKEY=forged-query-key", "X-Other", "not-a-credential"}};
      for (String[] r : refused) {
        var reply = gateway.send(HttpMethod.GET, r[0], headers(r[1], r[2]), null);
        assertThat(reply.status()).as(r[0]).isEqualTo(401);
        assertThat(reply.body()).doesNotContain("secret").doesNotContain("forged").doesNotContain(r[2]);
      }
      assertThat(backend.hits()).as("no refusal reaches the backend").isZero();
      String[][] accepted = {
          {"/basic/x", "Authorization", Hashes.basic("alice", "alice-pw")},
          {"/any/x", "X-API-Key", "bob-key"},
          {"/query/x?apikey=alice-key", "X-Other", "not-a-credential"}};
      for (String[] r : accepted) {
        assertThat(gateway.send(HttpMethod.GET, r[0], headers(r[1], r[2]), null).status()).as(r[0]).isEqualTo(200);
        TestBackend.Received got = backend.next();
        assertThat(got.uri()).doesNotContain("apikey").doesNotContain("alice-key");
        assertThat(got.headers().contains("Authorization")).isFalse();
        assertThat(got.headers().contains("X-API-Key")).isFalse();
      }
      int exchanges = refused.length + accepted.length;
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
          .until(() -> gateway.accessLog().size() >= exchanges);
      java.util.List<String> log = gateway.accessLog();
      assertThat(log).hasSize(exchanges);
      for (String secret : new String[] {"wrong-secret-pw", "mallory-secret-user", "forged", "alice-pw", "alice-key",
          "bob-key", "apikey", "APIKEY", Hashes.basic("alice", "alice-pw").substring(6),
          Hashes.basic("alice", "wrong-secret-pw").substring(6)}) {
        assertThat(log).as(secret).noneMatch(line -> line.contains(secret));
      }
      assertThat(log).anyMatch(line -> line.contains("\"status\":401")).anyMatch(line -> line.contains("\"status\":200"));
    }
  }

  @Test
  void allOfNeedsEveryScheme() throws Exception {
    try (TestBackend backend = new TestBackend(); GatewayHarness gateway = GatewayHarness.start(dir, config(backend))) {
      assertThat(gateway.send(HttpMethod.GET, "/all/x", headers("X-API-Key", "bob-key"), null).body())
          .contains("CREDENTIALS_MISSING");
      assertThat(gateway.send(HttpMethod.GET, "/all/x", headers("Authorization", Hashes.basic("bob", "bob-pw")), null).body())
          .contains("API_KEY_MISSING");
      assertThat(backend.hits()).isZero();
      var both = gateway.send(HttpMethod.GET, "/all/x",
          headers("X-API-Key", "bob-key", "Authorization", Hashes.basic("bob", "bob-pw")), null);
      assertThat(both.status()).isEqualTo(200);
      assertThat(backend.next().headers().get("X-Consumer-Id")).isEqualTo("bob");
    }
  }

  @Test
  void anonymousIsTheFallbackOnlyWithoutCredentials() throws Exception {
    try (TestBackend backend = new TestBackend(); GatewayHarness gateway = GatewayHarness.start(dir, config(backend))) {
      assertThat(gateway.send(HttpMethod.GET, "/anon/x", headers("X-Consumer-Id", "alice"), null).status()).isEqualTo(200);
      TestBackend.Received got = backend.next();
      assertThat(got.headers().get("X-Consumer-Id")).isEqualTo("guest");
      assertThat(got.headers().get("X-Consumer-Groups")).isEqualTo("public");
      assertThat(gateway.send(HttpMethod.GET, "/anon/x", headers("X-API-Key", "alice-key"), null).status()).isEqualTo(200);
      assertThat(backend.next().headers().get("X-Consumer-Id")).isEqualTo("alice");
      var forged = gateway.send(HttpMethod.GET, "/anon/x", headers("X-API-Key", "forged"), null);
      assertThat(forged.status()).isEqualTo(401);
      assertThat(forged.body()).contains("API_KEY_INVALID");
      assertThat(backend.hits()).isEqualTo(2);
    }
  }

  @Test
  void aclAllowsAndDeniesByGroupWithDenyWinning() throws Exception {
    try (TestBackend backend = new TestBackend(); GatewayHarness gateway = GatewayHarness.start(dir, config(backend))) {
      assertThat(gateway.send(HttpMethod.GET, "/staff/x", headers("Authorization", Hashes.basic("alice", "alice-pw")), null)
          .status()).isEqualTo(200);
      var partner = gateway.send(HttpMethod.GET, "/staff/x", headers("Authorization", Hashes.basic("bob", "bob-pw")), null);
      assertThat(partner.status()).isEqualTo(403);
      assertThat(partner.body()).contains("\"key\":\"ACL_DENIED\"");
      var banned = gateway.send(HttpMethod.GET, "/staff/x", headers("Authorization", Hashes.basic("carol", "carol-pw")), null);
      assertThat(banned.status()).isEqualTo(403);
      assertThat(gateway.get("/staff/x").status()).isEqualTo(401);
      assertThat(backend.hits()).isEqualTo(1);
    }
  }

  @Test
  void scopesAreRequiredFromTheConsumersCredential() throws Exception {
    try (TestBackend backend = new TestBackend(); GatewayHarness gateway = GatewayHarness.start(dir, config(backend))) {
      assertThat(gateway.send(HttpMethod.GET, "/write/x", headers("X-API-Key", "alice-key"), null).status()).isEqualTo(200);
      assertThat(backend.next().headers().get("X-Authenticated-Scope")).isEqualTo("orders:read orders:write");
      var readOnly = gateway.send(HttpMethod.GET, "/write/x", headers("X-API-Key", "bob-key"), null);
      assertThat(readOnly.status()).isEqualTo(403);
      assertThat(readOnly.body()).contains("\"key\":\"INSUFFICIENT_SCOPE\"");
      assertThat(readOnly.headers().get("WWW-Authenticate"))
          .isEqualTo("Bearer error=\"insufficient_scope\", scope=\"orders:write\"");
      assertThat(backend.hits()).isEqualTo(1);
    }
  }
}
