// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.headers;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testkit.GatewayHarness;
import io.sluice.gateway.testkit.TestBackend;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadersPolicyIT {

  @TempDir Path dir;

  @Test
  void rewritesHeadersBothWays() throws Exception {
    try (TestBackend backend = new TestBackend();
        GatewayHarness gateway = GatewayHarness.start(dir, """
            routes:
              - id: items
                path: /items/{id}
                upstream: %s
                policies:
                  - type: headers
                    config:
                      request:
                        remove: [X-Internal-Token]
                        set: { X-Item-Id: "${path.id}", X-Gateway-Request: "${request.id}" }
                      response:
                        set: { X-Route: "${route.id}" }
            """.formatted(backend.url()))) {
      var reply = gateway.send(HttpMethod.GET, "/items/7",
          MultiMap.caseInsensitiveMultiMap().add("X-Internal-Token", "secret").add("X-Request-Id", "req-1"), null);
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.headers().get("X-Route")).isEqualTo("items");
      var seen = backend.next();
      assertThat(seen.headers().contains("X-Internal-Token")).isFalse();
      assertThat(seen.headers().get("X-Item-Id")).isEqualTo("7");
      assertThat(seen.headers().get("X-Gateway-Request")).isEqualTo("req-1");
    }
  }
}
