// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.oauth2introspection;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testkit.GatewayHarness;
import io.sluice.gateway.testkit.TestBackend;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** oauth2-introspection in a running gateway, loaded from its plugin jar, against a real introspection server. */
class IntrospectionPolicyIT {

  @TempDir Path dir;

  @Test
  void admitsActiveTokensCachesTheAnswerAndFailsClosed() throws Exception {
    PluginJar.install(dir);
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

  private static MultiMap bearer(String token) {
    return MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + token);
  }
}
