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
