// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.oauth2introspection;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testkit.GatewayHarness;
import io.sluice.gateway.testkit.PluginJar;
import io.sluice.gateway.testkit.TestBackend;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** oauth2-introspection in a running gateway, loaded from its plugin jar, against a real introspection server. */
class IntrospectionPolicyIT {

  @TempDir Path dir;

  @Test
  void admitsActiveTokensCachesTheAnswerAndFailsClosed() throws Exception {
    PluginJar.install(dir, "io.sluice.gateway.plugin.oauth2introspection.IntrospectionPolicyFactory");
    try (TestBackend backend = new TestBackend();
        IntrospectionServer idp = new IntrospectionServer()
            .token("good", new JsonObject().put("active", true).put("sub", "alice").put("email", "alice@example.com")
                .put("scope", "orders:read").put("exp", Instant.now().plusSeconds(600).getEpochSecond()));
        GatewayHarness gateway = GatewayHarness.start(dir, """
            routes:
              - id: orders
                path: /orders/**
                upstream: %s
                policies:
                  - type: oauth2-introspection
                    config:
                      url: "%s"
                      clientId: %s
                      clientSecret: "${env:SLUICE_IT_INTROSPECTION_SECRET:-%s}"
                      timeout: 300ms
                      claimHeaders: { email: X-User-Email }
            """.formatted(backend.url(), idp.url(), IntrospectionServer.CLIENT_ID, IntrospectionServer.CLIENT_SECRET))) {
      var missing = gateway.get("/orders/1");
      assertThat(missing.status()).isEqualTo(401);
      assertThat(missing.body()).contains("\"key\":\"TOKEN_MISSING\"");

      for (int i = 0; i < 3; i++) {
        var ok = gateway.send(HttpMethod.GET, "/orders/1", bearer("good"), null);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(backend.next().headers().get("X-User-Email")).isEqualTo("alice@example.com");
      }
      assertThat(idp.calls()).as("the active answer is cached").isEqualTo(1);

      var inactive = gateway.send(HttpMethod.GET, "/orders/1", bearer("revoked"), null);
      assertThat(inactive.status()).isEqualTo(401);
      assertThat(inactive.body()).contains("\"key\":\"TOKEN_INVALID\"").doesNotContain("revoked");

      idp.silent(true);
      var unavailable = gateway.send(HttpMethod.GET, "/orders/1", bearer("never-seen"), null);
      assertThat(unavailable.status()).isEqualTo(503);
      assertThat(unavailable.body()).contains("\"key\":\"AUTH_UNAVAILABLE\"");
      assertThat(gateway.send(HttpMethod.GET, "/orders/1", bearer("good"), null).status())
          .as("a cached token keeps working while the endpoint is down").isEqualTo(200);
      assertThat(backend.hits()).isEqualTo(4);
    }
  }

  /**
   * Concurrent first requests for one token, on separate connections (so on the gateway's several event loops),
   * make one introspection call: the first starts it, the others join it while it is in flight, and later ones
   * find the cached answer. The server holds its answer for a while so that the requests overlap; the
   * assertion does not depend on how they interleave, only a second call for the token would fail it.
   */
  @Test
  void concurrentFirstRequestsForOneTokenMakeOneIntrospectionCall() throws Exception {
    PluginJar.install(dir, "io.sluice.gateway.plugin.oauth2introspection.IntrospectionPolicyFactory");
    int clients = 24;
    try (TestBackend backend = new TestBackend();
        IntrospectionServer idp = new IntrospectionServer()
            .token("shared", new JsonObject().put("active", true).put("sub", "alice")
                .put("exp", Instant.now().plusSeconds(600).getEpochSecond()));
        GatewayHarness gateway = GatewayHarness.start(dir, """
            routes:
              - id: orders
                path: /orders/**
                upstream: %s
                policies:
                  - type: oauth2-introspection
                    config: { url: "%s", clientId: %s, clientSecret: "%s", timeout: 5s }
            """.formatted(backend.url(), idp.url(), IntrospectionServer.CLIENT_ID, IntrospectionServer.CLIENT_SECRET), 2)) {
      idp.delay(300);
      Vertx vertx = Vertx.vertx();
      try {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false),
            new PoolOptions().setHttp1MaxSize(clients));
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
          answers.add(client.request(HttpMethod.GET, gateway.port(), "127.0.0.1", "/orders/" + i)
              .compose(r -> r.putHeader("Authorization", "Bearer shared").send())
              .compose(r -> r.body().map(b -> r.statusCode())));
        }
        for (Future<Integer> a : answers) {
          assertThat(a.await()).isEqualTo(200);
        }
      } finally {
        vertx.close().await();
      }
      assertThat(idp.calls()).as("one call for %d concurrent first requests", clients).isEqualTo(1);
      assertThat(backend.hits()).isEqualTo(clients);
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
          .until(() -> gateway.accessLog().size() >= clients);
      assertThat(gateway.accessLog()).as("the token never reaches the access log")
          .noneMatch(line -> line.contains("shared") || line.contains("Bearer"));
    }
  }

  private static MultiMap bearer(String token) {
    return MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + token);
  }
}
