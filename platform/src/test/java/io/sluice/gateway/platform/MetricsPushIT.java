// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code metrics.otlp}: the meters pushed over OTLP/HTTP to a real collector stand-in on an ephemeral port. */
@ExtendWith(VertxExtension.class)
class MetricsPushIT {

  @TempDir Path dir;

  /** One POST the collector received. */
  private record Push(String path, String contentType, String body) {}

  @Test
  void pushesEveryMeterToTheOtlpEndpointEveryStep(Vertx vertx) throws Exception {
    List<Push> pushes = new CopyOnWriteArrayList<>();
    HttpServer collector = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      // Protobuf keeps strings as UTF-8 bytes: the metric names can be found in the body as they are.
      pushes.add(new Push(req.path(), req.getHeader("Content-Type"), body.toString(StandardCharsets.ISO_8859_1)));
      req.response().setStatusCode(200).end();
    }));
    int port = collector.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
        .actualPort();
    try (TestBackend backend = TestBackend.start(vertx, req -> req.response().end("ok"));
        TestGateway gw = TestGateway.start(dir, """
            metrics:
              otlp: { endpoint: "http://127.0.0.1:%d/v1/metrics", step: 1s }
            routes:
              - { id: pushed, path: /p, upstream: "%s" }
            """.formatted(port, backend.url()));
        TestClient client = new TestClient(vertx)) {
      assertThat(client.get(gw.port(), "/p").status()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(pushes).anySatisfy(p -> {
        assertThat(p.path()).isEqualTo("/v1/metrics");
        assertThat(p.contentType()).isEqualTo("application/x-protobuf");
        assertThat(p.body()).contains("sluice.requests").contains("pushed").contains("sluice.upstream.attempts");
      }));
      // The Prometheus scrape keeps working beside the push.
      assertThat(client.get(gw.adminPort(), "/metrics",
          io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + TestGateway.ADMIN_TOKEN))
          .body()).contains("sluice_requests_total{");
    } finally {
      collector.close();
    }
  }

  @Test
  void refusesAnOtlpEndpointThatIsNoUrl() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestGateway.start(dir, """
            metrics:
              otlp: { endpoint: "collector:4318", step: 1s }
            """).close())
        .hasMessageContaining("metrics.otlp.endpoint");
  }
}
