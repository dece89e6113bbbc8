// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.keyauth;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testkit.GatewayHarness;
import io.sluice.gateway.testkit.TestBackend;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** key-auth through a running gateway, with consumer headers and the spoofing case. */
class KeyAuthPolicyIT {

  @TempDir Path dir;

  private static MultiMap headers(String... namesAndValues) {
    MultiMap m = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      m.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return m;
  }

  private String config(TestBackend backend) {
    String digest = HexFormat.of().formatHex(KeyCredential.sha256("alice-key"));
    return """
        consumers:
          - id: alice
            groups: [gold, internal]
            credentials:
              key-auth: [{ key: "sha256:%s", scopes: [orders:read] }]
          - id: bob
            credentials: { key-auth: [{ key: bob-plain-key }] }
        routes:
          - id: api
            path: /api/**
            upstream: %s
            policies: [ { type: key-auth, config: { queryParam: apikey } } ]
          - id: open
            path: /open/**
            upstream: %s
        """.formatted(digest, backend.url(), backend.url());
  }

  @Test
  void aKeyInTheHeaderOrQueryReachesTheBackendAsConsumerHeadersAndNeverAsTheKey() throws Exception {
    try (TestBackend backend = new TestBackend(); GatewayHarness gateway = GatewayHarness.start(dir, config(backend))) {
      var ok = gateway.send(HttpMethod.GET, "/api/orders", headers("X-API-Key", "alice-key"), null);
      assertThat(ok.status()).isEqualTo(200);
      TestBackend.Received got = backend.next();
      assertThat(got.headers().contains("X-API-Key")).isFalse();
      assertThat(got.headers().get("X-Consumer-Id")).isEqualTo("alice");
      assertThat(got.headers().get("X-Consumer-Groups")).isEqualTo("gold,internal");
      assertThat(got.headers().get("X-Authenticated-Scope")).isEqualTo("orders:read");

      assertThat(gateway.get("/api/orders?x=1&apikey=bob-plain-key&y=2").status()).isEqualTo(200);
      got = backend.next();
      assertThat(got.uri()).isEqualTo("/api/orders?x=1&y=2");
      assertThat(got.headers().get("X-Consumer-Id")).isEqualTo("bob");
      assertThat(got.headers().contains("X-Consumer-Groups")).isFalse();

      // Spelled as the lookup still reads it (encoded, another case): removed all the same.
      assertThat(gateway.get("/api/orders?APIKEY=bob-plain-key&z=3").status()).isEqualTo(200);
      assertThat(backend.next().uri()).isEqualTo("/api/orders?z=3");
      assertThat(gateway.get("/api/orders?api%6Bey=bob-plain-key").status()).isEqualTo(200);
      assertThat(backend.next().uri()).isEqualTo("/api/orders");
      // After a ';', which the lookup reads as a separator too: the key never stays in the upstream's query.
      assertThat(gateway.get("/api/orders?x=1;apikey=bob-plain-key").status()).isEqualTo(200);
      assertThat(backend.next().uri()).isEqualTo("/api/orders?x=1");
    }
  }

  @Test
  void missingAndWrongKeysNeverReachTheBackend() throws Exception {
    try (TestBackend backend = new TestBackend(); GatewayHarness gateway = GatewayHarness.start(dir, config(backend))) {
      var missing = gateway.get("/api/orders");
      assertThat(missing.status()).isEqualTo(401);
      assertThat(missing.body()).contains("\"key\":\"API_KEY_MISSING\"");
      assertThat(missing.headers().get("WWW-Authenticate")).isEqualTo("ApiKey realm=\"sluice\"");
      var wrong = gateway.send(HttpMethod.GET, "/api/orders", headers("X-API-Key", "alice-kex"), null);
      assertThat(wrong.status()).isEqualTo(401);
      assertThat(wrong.body()).contains("\"key\":\"API_KEY_INVALID\"").doesNotContain("alice-kex");
      var wrongQuery = gateway.get("/api/orders?apikey=nope");
      assertThat(wrongQuery.body()).contains("\"key\":\"API_KEY_INVALID\"");
      assertThat(backend.hits()).isZero();
    }
  }

  @Test
  void consumerHeadersSentByTheClientAreAlwaysRemoved() throws Exception {
    try (TestBackend backend = new TestBackend(); GatewayHarness gateway = GatewayHarness.start(dir, config(backend))) {
      MultiMap spoofed = headers("X-Consumer-Id", "admin", "X-Consumer-Groups", "root",
          "X-Authenticated-Scope", "everything", "x-consumer-id", "admin2");
      assertThat(gateway.send(HttpMethod.GET, "/open/x", spoofed, null).status()).isEqualTo(200);
      TestBackend.Received open = backend.next();
      assertThat(open.headers().contains("X-Consumer-Id")).isFalse();
      assertThat(open.headers().contains("X-Consumer-Groups")).isFalse();
      assertThat(open.headers().contains("X-Authenticated-Scope")).isFalse();

      MultiMap withKey = headers("X-API-Key", "bob-plain-key").addAll(spoofed);
      assertThat(gateway.send(HttpMethod.GET, "/api/x", withKey, null).status()).isEqualTo(200);
      TestBackend.Received authed = backend.next();
      assertThat(authed.headers().getAll("X-Consumer-Id")).containsExactly("bob");
      assertThat(authed.headers().contains("X-Consumer-Groups")).isFalse();
      assertThat(authed.headers().contains("X-Authenticated-Scope")).isFalse();
    }
  }

  /** {@code server.consumerHeaders}: the upstream sees the configured names, and never the client's copies of them. */
  @Test
  void customConsumerHeaderNamesReachTheBackendAndTheClientsCopiesAreRemoved() throws Exception {
    try (TestBackend backend = new TestBackend(); GatewayHarness gateway = GatewayHarness.startWithServer(dir,
        "consumerHeaders: { id: X-User, groups: X-Roles, scopes: X-Scope }", config(backend))) {
      MultiMap spoofed = headers("X-User", "admin", "X-Roles", "root", "X-Scope", "everything");
      assertThat(gateway.send(HttpMethod.GET, "/api/x", headers("X-API-Key", "alice-key").addAll(spoofed), null).status())
          .isEqualTo(200);
      TestBackend.Received authed = backend.next();
      assertThat(authed.headers().getAll("X-User")).containsExactly("alice");
      assertThat(authed.headers().getAll("X-Roles")).containsExactly("gold,internal");
      assertThat(authed.headers().getAll("X-Scope")).containsExactly("orders:read");
      assertThat(authed.headers().contains("X-Consumer-Id")).as("the default name is not used").isFalse();

      assertThat(gateway.send(HttpMethod.GET, "/open/x", spoofed, null).status()).isEqualTo(200);
      TestBackend.Received open = backend.next();
      assertThat(open.headers().contains("X-User")).isFalse();
      assertThat(open.headers().contains("X-Roles")).isFalse();
      assertThat(open.headers().contains("X-Scope")).isFalse();
    }
  }
}
