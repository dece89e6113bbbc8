// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import static io.sluice.gateway.platform.TestClient.headers;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The access log's fields for consumers, traces, caches and rate limits, its redaction and the sampling of
 * successes, through a real gateway. The consumer comes from an authentication policy; the cache and
 * rate-limit outcomes from a script that answers exactly as the cache and rate-limit plugins do (their
 * {@code Cache-Status}, {@code RateLimit-Remaining} and {@code 429 RATE_LIMIT_EXCEEDED}).
 */
@ExtendWith(VertxExtension.class)
class AccessLogIT {

  @TempDir Path dir;
  TestClient client;
  TestBackend backend;
  TestGateway gw;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    client = new TestClient(vertx);
    backend = TestBackend.start(vertx, request -> request.body().onSuccess(b -> {
      // An upstream cache's member comes first; the gateway's (the script's, below) is appended after it.
      request.response().putHeader("Cache-Status", "upstream-cdn; fwd=uri-miss").end("ok");
    }));
    Files.createDirectories(dir.resolve("policies"));
    Files.writeString(dir.resolve("policies/outcomes.js"), """
        function onRequest(exchange) {
          if (exchange.request.header('X-Limit') !== null) {
            exchange.reject(429, 'RATE_LIMIT_EXCEEDED', 'slow down',
                { 'RateLimit-Limit': '10', 'RateLimit-Remaining': '0', 'Retry-After': '3' });
          }
        }
        function onResponse(exchange) {
          exchange.response.addHeader('Cache-Status', 'sluice; hit; ttl=30');
          exchange.response.setHeader('RateLimit-Remaining', '7');
        }
        """);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (gw != null) {
      gw.close();
    }
    backend.close();
    client.close();
  }

  private void gateway(String accessLogExtras) {
    gw = TestGateway.startEdited(dir, """
        scripts: { dir: %s, watch: false }
        upstreams:
          app: { targets: ["%s"] }
        routes:
          - id: r
            path: /**
            upstream: app
            policies:
              - { type: header-consumer }
              - { type: script, config: { file: outcomes.js } }
        """.formatted(dir.resolve("policies"), backend.url()),
        text -> text.replace("accessLog:\n", "accessLog:\n  " + accessLogExtras + "\n"));
  }

  /** Closes the gateway (which writes what is queued) and reads its access log. */
  private List<JsonObject> linesAfterClose() throws Exception {
    gw.close();
    List<String> raw = Files.readAllLines(gw.accessLog);
    gw = null;
    return raw.stream().map(JsonObject::new).collect(Collectors.toList());
  }

  @Test
  void linesCarryConsumerCacheAndRateLimitOutcomesAndNoCredentials() throws Exception {
    gateway("sampleSuccess: 1.0");
    assertThat(client.get(gw.port(), "/a?apikey=s3cret-query&x=1", headers("X-Test-Consumer", "alice",
        "Authorization", "Bearer s3cret-token", "Cookie", "session=s3cret-cookie")).status()).isEqualTo(200);
    assertThat(client.get(gw.port(), "/b", headers("X-Test-Consumer", "bob", "X-Limit", "1")).status())
        .isEqualTo(429);
    assertThat(client.get(gw.port(), "/c").status()).isEqualTo(200);

    List<JsonObject> lines = linesAfterClose();
    assertThat(lines).hasSize(3);
    JsonObject ok = lines.get(0);
    assertThat(ok.getString("path")).isEqualTo("/a");
    assertThat(ok.getString("consumer")).isEqualTo("alice");
    assertThat(ok.getString("cache")).as("the gateway's member, the last one").isEqualTo("hit");
    assertThat(ok.getLong("rateLimitRemaining")).isEqualTo(7);
    assertThat(ok.containsKey("rateLimited")).isFalse();
    assertThat(ok.containsKey("traceId")).as("tracing is off").isFalse();
    assertThat(ok.encode()).doesNotContain("s3cret").doesNotContain("apikey");

    JsonObject limited = lines.get(1);
    assertThat(limited.getInteger("status")).isEqualTo(429);
    assertThat(limited.getString("error")).isEqualTo("RATE_LIMIT_EXCEEDED");
    assertThat(limited.getBoolean("rateLimited")).isTrue();
    assertThat(limited.getLong("rateLimitRemaining")).isZero();
    assertThat(limited.getString("consumer")).isEqualTo("bob");
    assertThat(limited.containsKey("cache")).as("answered before any cache").isFalse();

    assertThat(lines.get(2).containsKey("consumer")).as("not authenticated").isFalse();
  }

  @Test
  void successesAreSampledAndEverythingElseIsAlwaysLogged() throws Exception {
    gateway("sampleSuccess: 0.25");
    for (int i = 0; i < 8; i++) {
      assertThat(client.get(gw.port(), "/ok/" + i).status()).isEqualTo(200);
    }
    for (int i = 0; i < 3; i++) {
      assertThat(client.get(gw.port(), "/limited/" + i, headers("X-Limit", "1")).status()).isEqualTo(429);
    }
    List<JsonObject> lines = linesAfterClose();
    List<String> paths = lines.stream().map(l -> l.getString("path")).collect(Collectors.toList());
    assertThat(paths.stream().filter(p -> p.startsWith("/ok/"))).as("exactly one success in four").hasSize(2);
    assertThat(paths).contains("/ok/3", "/ok/7").contains("/limited/0", "/limited/1", "/limited/2");
  }

  @Test
  void sampleSuccessZeroLogsOnlyWhatWentWrong() throws Exception {
    gateway("sampleSuccess: 0");
    client.get(gw.port(), "/ok");
    client.get(gw.port(), "/limited", headers("X-Limit", "1"));
    List<JsonObject> lines = linesAfterClose();
    assertThat(lines).extracting(l -> l.getString("path")).containsExactly("/limited");
  }
}
