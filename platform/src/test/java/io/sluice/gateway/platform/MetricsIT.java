// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.gateway.platform.TestClient.Reply;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics}: the exchanges just sent, counted by route, method and status class, behind the token. */
@ExtendWith(VertxExtension.class)
class MetricsIT {

  @TempDir Path dir;

  private static MultiMap headers(String... pairs) {
    MultiMap m = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < pairs.length; i += 2) {
      m.add(pairs[i], pairs[i + 1]);
    }
    return m;
  }

  private static final MultiMap TOKEN = headers("Authorization", "Bearer " + TestGateway.ADMIN_TOKEN);

  @Test
  void countsExchangesByRouteMethodAndStatusClass(Vertx vertx) throws Exception {
    try (TestBackend backend = TestBackend.start(vertx, req -> req.response()
            .setStatusCode(req.path().endsWith("/missing") ? 404 : 200).end("hello"));
        TestGateway gw = TestGateway.start(dir, """
            routes:
              - id: users
                path: /users/**
                upstream: %s
              - id: orders
                path: /orders/**
                upstream: %s
            """.formatted(backend.url(), backend.url()));
        TestClient client = new TestClient(vertx)) {
      for (int i = 0; i < 7; i++) {
        assertThat(client.get(gw.port(), "/users/" + i).status()).isEqualTo(200);
      }
      for (int i = 0; i < 3; i++) {
        assertThat(client.get(gw.port(), "/users/missing").status()).isEqualTo(404);
      }
      assertThat(client.send(HttpMethod.POST, gw.port(), "/orders/1", MultiMap.caseInsensitiveMultiMap(),
          Buffer.buffer("{}")).status()).isEqualTo(200);
      assertThat(client.get(gw.port(), "/nowhere").status()).isEqualTo(404);

      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        String text = client.get(gw.adminPort(), "/metrics", TOKEN).body();
        assertThat(sample(text, "sluice_requests_total", "method=\"GET\"", "route=\"users\"", "status=\"2xx\""))
            .isEqualTo(7.0);
        assertThat(sample(text, "sluice_requests_total", "method=\"GET\"", "route=\"users\"", "status=\"4xx\""))
            .isEqualTo(3.0);
        assertThat(sample(text, "sluice_requests_total", "method=\"POST\"", "route=\"orders\"", "status=\"2xx\""))
            .isEqualTo(1.0);
        assertThat(sample(text, "sluice_requests_total", "route=\"(none)\"", "status=\"4xx\"")).isEqualTo(1.0);
        assertThat(sample(text, "sluice_request_latency_seconds_count", "route=\"users\"", "status=\"2xx\""))
            .isEqualTo(7.0);
        assertThat(sample(text, "sluice_upstream_latency_seconds_count", "route=\"users\"")).isEqualTo(10.0);
        assertThat(sample(text, "sluice_response_bytes_sum", "route=\"users\"")).isGreaterThan(0.0);
        assertThat(sample(text, "sluice_config_reloads_total", "outcome=\"applied\"")).isEqualTo(1.0);
        assertThat(sample(text, "sluice_upstream_attempts_total", "outcome=\"success\"")).isEqualTo(11.0);
        assertThat(sample(text, "sluice_connections")).isGreaterThanOrEqualTo(0.0);
        assertThat(text).contains("jvm_memory_used_bytes");
      });
    }
  }

  @Test
  void answersOpenMetricsWhenAskedAndOnlyWithTheToken(Vertx vertx) throws Exception {
    try (TestGateway gw = TestGateway.start(dir, "");
        TestClient client = new TestClient(vertx)) {
      assertThat(client.get(gw.adminPort(), "/metrics").status()).isEqualTo(401);
      Reply plain = client.get(gw.adminPort(), "/metrics", TOKEN);
      assertThat(plain.status()).isEqualTo(200);
      assertThat(plain.headers().get("Content-Type")).startsWith("text/plain; version=0.0.4");
      MultiMap om = headers("Authorization", "Bearer " + TestGateway.ADMIN_TOKEN,
          "Accept", "application/openmetrics-text; version=1.0.0, text/plain;q=0.5");
      Reply open = client.get(gw.adminPort(), "/metrics", om);
      assertThat(open.headers().get("Content-Type")).startsWith("application/openmetrics-text");
      assertThat(open.body()).endsWith("# EOF\n");
    }
  }

  @Test
  void isOffWhenDisabled(Vertx vertx) throws Exception {
    try (TestGateway gw = TestGateway.start(dir, "metrics: { enabled: false }\n");
        TestClient client = new TestClient(vertx)) {
      Reply reply = client.get(gw.adminPort(), "/metrics", TOKEN);
      assertThat(reply.status()).isEqualTo(404);
      assertThat(reply.key()).isEqualTo("METRICS_DISABLED");
    }
  }

  /** The value of the one sample of {@code name} whose labels include every one of {@code labels}, or -1. */
  private static double sample(String text, String name, String... labels) {
    double found = -1;
    for (String line : text.split("\n")) {
      if (!line.startsWith(name + "{")) {
        continue;
      }
      String labelPart = line.substring(name.length(), line.lastIndexOf('}') + 1);
      boolean all = true;
      for (String l : labels) {
        all &= labelPart.contains(l);
      }
      if (all) {
        double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        found = found < 0 ? v : found + v;
      }
    }
    return found;
  }
}
