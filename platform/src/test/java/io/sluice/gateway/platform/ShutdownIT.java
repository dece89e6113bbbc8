// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Graceful shutdown: requests in flight complete, new connections are refused. */
@ExtendWith(VertxExtension.class)
class ShutdownIT {

  @TempDir Path dir;

  @Test
  void drainsRequestsInFlight(Vertx vertx) throws Exception {
    TestBackend slow = TestBackend.start(vertx, request ->
        vertx.setTimer(1000, t -> request.response().end("finished")));
    TestClient client = new TestClient(vertx);
    TestGateway gw = TestGateway.start(dir, "  shutdownGrace: 10s", """
        routes:
          - id: slow
            path: /**
            upstream: %s
        """.formatted(slow.url()));
    try {
      int port = gw.port();
      Future<String> inFlight = client.onContext(() -> client.raw().request(HttpMethod.GET, port, "127.0.0.1", "/work")
          .compose(req -> req.send())
          .compose(resp -> resp.body().map(b -> resp.statusCode() + " " + b)));
      await().atMost(Duration.ofSeconds(5)).until(() -> slow.hits() == 1);

      long start = System.nanoTime();
      gw.close();
      long closeMillis = (System.nanoTime() - start) / 1_000_000;

      assertThat(inFlight.await()).isEqualTo("200 finished");
      assertThat(closeMillis).as("close waited for the request, not for the whole grace period").isLessThan(9_000);
      try (Socket s = new Socket("127.0.0.1", port)) {
        throw new AssertionError("the gateway still accepts connections after shutdown");
      } catch (ConnectException expected) {
        // refused: the listener is gone
      }
    } finally {
      client.close();
      slow.close();
    }
  }
}
