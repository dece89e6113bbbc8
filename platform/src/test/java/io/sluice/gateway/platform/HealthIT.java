// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.platform.TestClient.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The unauthenticated health listener, and ports that are already taken. */
@ExtendWith(VertxExtension.class)
class HealthIT {

  @TempDir Path dir;

  @Test
  void liveAndReadyAnswerWithoutATokenAndReadyFollowsItsConditions(Vertx vertx) throws Exception {
    try (TestGateway gw = TestGateway.start(dir, "routes: []");
        TestClient client = new TestClient(vertx)) {
      int port = gw.gateway.healthPort();
      Reply live = client.get(port, "/health/live");
      assertThat(live.status()).isEqualTo(200);
      assertThat(live.json().getString("status")).isEqualTo("UP");
      Reply ready = client.get(port, "/health/ready");
      assertThat(ready.status()).isEqualTo(200);
      assertThat(ready.body()).isEqualTo("{\"status\":\"UP\"}\n");

      // A later part (the cluster, once it exists) registers its own condition: not ready until it is met.
      gw.gateway.readiness().register("cluster");
      Reply waiting = client.get(port, "/health/ready");
      assertThat(waiting.status()).isEqualTo(503);
      assertThat(waiting.headers().get("Content-Type")).isEqualTo("application/problem+json");
      assertThat(waiting.key()).isEqualTo("NOT_READY");
      assertThat(waiting.json().getString("detail")).isEqualTo("waiting for: cluster");
      assertThat(client.get(port, "/health/live").status()).as("still alive").isEqualTo(200);
      gw.gateway.readiness().set("cluster", true);
      assertThat(client.get(port, "/health/ready").status()).isEqualTo(200);

      assertThat(client.get(port, "/admin/routes").status()).as("nothing else is served there").isEqualTo(404);
      assertThat(client.send(HttpMethod.POST, port, "/health/ready", io.vertx.core.MultiMap.caseInsensitiveMultiMap(), null)
          .status()).isEqualTo(405);
    }
  }

  @Test
  void aPortInUseFailsFastNamingThePortAndItsKey() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      int port = taken.getLocalPort();
      assertThatThrownBy(() -> TestGateway.startEdited(dir, "routes: []", t -> t.replace("port: 0\n  eventLoops", "port: " + port + "\n  eventLoops")))
          .isInstanceOf(StartupFailure.class)
          .hasMessage("port " + port + " (server.port) is already in use");
      assertThatThrownBy(() -> TestGateway.startEdited(dir, "routes: []", t -> t.replace("admin:\n  port: 0", "admin:\n  port: " + port)))
          .isInstanceOf(StartupFailure.class)
          .hasMessage("port " + port + " (admin.port) is already in use");
      assertThatThrownBy(() -> TestGateway.startEdited(dir, "routes: []", t -> t.replace("health:\n  port: 0", "health:\n  port: " + port)))
          .isInstanceOf(StartupFailure.class)
          .hasMessage("port " + port + " (health.port) is already in use");
    }
  }
}
