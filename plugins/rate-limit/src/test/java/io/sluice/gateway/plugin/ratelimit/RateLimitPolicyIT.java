// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testkit.GatewayHarness;
import io.sluice.gateway.testkit.TestBackend;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RateLimitPolicyIT {

  @TempDir Path dir;

  @Test
  void answers429WithProblemJsonAndHeadersAndKeepsTheBackendOutOfIt() throws Exception {
    try (TestBackend backend = new TestBackend();
        GatewayHarness gateway = GatewayHarness.start(dir, """
            routes:
              - id: orders
                path: /orders/**
                upstream: %s
                policies:
                  - type: rate-limit
                    config:
                      by: header
                      header: X-Api-Client
                      limits:
                        - { limit: 2, window: 1h }
                        - { limit: 100, window: 1d, by: route }
            """.formatted(backend.url()))) {
      MultiMap client = MultiMap.caseInsensitiveMultiMap().add("X-Api-Client", "acme");
      var first = gateway.send(HttpMethod.GET, "/orders/1", client, null);
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.headers().get("RateLimit-Limit")).isEqualTo("2");
      assertThat(first.headers().get("RateLimit-Remaining")).isEqualTo("1");
      long reset = Long.parseLong(first.headers().get("RateLimit-Reset"));
      assertThat(reset).isBetween(1L, 3_600L);
      assertThat(gateway.send(HttpMethod.GET, "/orders/2", client, null).headers().get("RateLimit-Remaining")).isEqualTo("0");
      var refused = gateway.send(HttpMethod.GET, "/orders/3", client, null);
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.headers().get("Content-Type")).startsWith("application/problem+json");
      assertThat(refused.body()).contains("\"key\":\"RATE_LIMIT_EXCEEDED\"").contains("2 per 1h").doesNotContain("acme");
      long retry = Long.parseLong(refused.headers().get("Retry-After"));
      assertThat(retry).isBetween(1L, 3_600L);
      assertThat(refused.headers().get("RateLimit-Limit")).isEqualTo("2");
      assertThat(refused.headers().get("RateLimit-Remaining")).isEqualTo("0");
      assertThat(refused.headers().get("RateLimit-Reset")).isEqualTo(Long.toString(retry));
      assertThat(backend.hits()).as("the refused request never reached the backend").isEqualTo(2);
      var other = gateway.send(HttpMethod.GET, "/orders/4", MultiMap.caseInsensitiveMultiMap().add("X-Api-Client", "globex"), null);
      assertThat(other.status()).as("another client has its own counter").isEqualTo(200);
      assertThat(backend.hits()).isEqualTo(3);
    }
  }

  @Test
  void countsPerAnAttributeAJsPolicySet() throws Exception {
    Path scripts = Files.createDirectories(dir.resolve("policies"));
    Files.writeString(scripts.resolve("tenant.js"), """
        function onRequest(exchange) {
          const tenant = exchange.request.header('X-Tenant-Id');
          if (tenant) exchange.put('tenant', tenant);
        }
        """);
    try (TestBackend backend = new TestBackend();
        GatewayHarness gateway = GatewayHarness.start(dir, """
            scripts: { dir: %s }
            routes:
              - id: api
                path: /**
                upstream: %s
                policies:
                  - { type: script, stage: screen, config: { file: tenant.js, timeout: 2s } } # a cold interpreter: not what this test is about
                  - { type: rate-limit, config: { by: attribute, attribute: tenant, limit: 1, window: 1h } }
            """.formatted(scripts, backend.url()))) {
      MultiMap acme = MultiMap.caseInsensitiveMultiMap().add("X-Tenant-Id", "acme");
      MultiMap globex = MultiMap.caseInsensitiveMultiMap().add("X-Tenant-Id", "globex");
      assertThat(gateway.send(HttpMethod.GET, "/a", acme, null).status()).isEqualTo(200);
      assertThat(gateway.send(HttpMethod.GET, "/b", globex, null).status()).isEqualTo(200);
      assertThat(gateway.send(HttpMethod.GET, "/c", acme, null).status()).isEqualTo(429);
      assertThat(gateway.get("/d").status()).as("no tenant: the shared counter").isEqualTo(200);
      assertThat(gateway.get("/e").status()).isEqualTo(429);
      assertThat(backend.hits()).isEqualTo(3);
    }
  }
  @Test
  void countsPerTheConsumerKeyAuthChose() throws Exception {
    // key-auth (stage authenticate) runs before rate-limit (stage limit) whatever their order in the list
    try (TestBackend backend = new TestBackend();
        GatewayHarness gateway = GatewayHarness.start(dir, """
            consumers:
              - id: alice
                credentials: { key-auth: [ { key: alice-key-0123456789 } ] }
              - id: bob
                credentials: { key-auth: [ { key: bob-key-0123456789ab } ] }
            routes:
              - id: api
                path: /**
                upstream: %s
                policies:
                  - { type: rate-limit, config: { by: consumer, limit: 2, window: 1h } }
                  - { type: key-auth }
            """.formatted(backend.url()))) {
      MultiMap alice = MultiMap.caseInsensitiveMultiMap().add("X-API-Key", "alice-key-0123456789");
      MultiMap bob = MultiMap.caseInsensitiveMultiMap().add("X-API-Key", "bob-key-0123456789ab");
      assertThat(gateway.send(HttpMethod.GET, "/a", alice, null).headers().get("RateLimit-Remaining")).isEqualTo("1");
      assertThat(gateway.send(HttpMethod.GET, "/b", alice, null).status()).isEqualTo(200);
      var refused = gateway.send(HttpMethod.GET, "/c", alice, null);
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.body()).contains("\"key\":\"RATE_LIMIT_EXCEEDED\"").doesNotContain("alice-key");
      var theirs = gateway.send(HttpMethod.GET, "/d", bob, null);
      assertThat(theirs.status()).as("bob has a counter of his own").isEqualTo(200);
      assertThat(theirs.headers().get("RateLimit-Remaining")).isEqualTo("1");
      assertThat(backend.hits()).isEqualTo(3);
      for (int i = 0; i < 3; i++) {
        assertThat(gateway.get("/anonymous").status()).as("refused by key-auth before any count").isEqualTo(401);
      }
      assertThat(gateway.send(HttpMethod.GET, "/e", bob, null).status())
          .as("the refused anonymous requests took nothing from bob's or a shared counter").isEqualTo(200);
      assertThat(gateway.send(HttpMethod.GET, "/f", bob, null).status()).isEqualTo(429);
      assertThat(backend.hits()).as("neither 429s nor 401s reached the backend").isEqualTo(4);
    }
  }
}
