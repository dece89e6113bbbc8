// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.cors;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testkit.GatewayHarness;
import io.sluice.gateway.testkit.TestBackend;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorsPolicyIT {

  @TempDir Path dir;

  @Test
  void answersPreflightsAtTheGateway() throws Exception {
    try (TestBackend backend = new TestBackend();
        GatewayHarness gateway = GatewayHarness.start(dir, """
            policies:
              - type: cors
                config: { allowedOrigins: ["https://app.example.com"], allowedHeaders: [Content-Type] }
            routes:
              - { id: api, path: /**, upstream: %s }
            """.formatted(backend.url()))) {
      var preflight = gateway.send(HttpMethod.OPTIONS, "/items", MultiMap.caseInsensitiveMultiMap()
          .add("Origin", "https://app.example.com")
          .add("Access-Control-Request-Method", "POST")
          .add("Access-Control-Request-Headers", "content-type"), null);
      assertThat(preflight.status()).isEqualTo(204);
      assertThat(preflight.headers().get("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
      assertThat(backend.hits()).as("preflights never reach the upstream").isZero();

      var refused = gateway.send(HttpMethod.OPTIONS, "/items", MultiMap.caseInsensitiveMultiMap()
          .add("Origin", "https://evil.example").add("Access-Control-Request-Method", "POST"), null);
      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.body()).contains("\"key\":\"CORS_PREFLIGHT_REFUSED\"");

      var actual = gateway.send(HttpMethod.GET, "/items",
          MultiMap.caseInsensitiveMultiMap().add("Origin", "https://app.example.com"), null);
      assertThat(actual.status()).isEqualTo(200);
      assertThat(actual.headers().get("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
      assertThat(backend.hits()).isEqualTo(1);

      var otherOrigin = gateway.send(HttpMethod.GET, "/items",
          MultiMap.caseInsensitiveMultiMap().add("Origin", "https://evil.example"), null);
      assertThat(otherOrigin.status()).isEqualTo(200);
      assertThat(otherOrigin.headers().get("Access-Control-Allow-Origin")).isNull();
      assertThat(otherOrigin.headers().get("Vary")).isEqualTo("Origin");
    }
  }
}
