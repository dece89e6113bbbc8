// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.platform.TestClient.Reply;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The admin API: token on every call, health, the effective route table. */
@ExtendWith(VertxExtension.class)
class AdminIT {

  @TempDir Path dir;

  private static MultiMap bearer(String token) {
    return MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + token);
  }

  @Test
  void requiresTheToken(Vertx vertx) throws Exception {
    try (TestGateway gw = TestGateway.start(dir, "");
        TestClient client = new TestClient(vertx)) {
      Reply none = client.get(gw.adminPort(), "/admin/health");
      assertThat(none.status()).isEqualTo(401);
      assertThat(none.key()).isEqualTo("ADMIN_UNAUTHORIZED");
      assertThat(none.headers().get("WWW-Authenticate")).startsWith("Bearer");
      assertThat(client.get(gw.adminPort(), "/admin/health", bearer("wrong-token-wrong-token")).status()).isEqualTo(401);
      assertThat(client.send(HttpMethod.POST, gw.adminPort(), "/admin/reload", MultiMap.caseInsensitiveMultiMap(), null)
          .status()).isEqualTo(401);

      Reply health = client.get(gw.adminPort(), "/admin/health", bearer(TestGateway.ADMIN_TOKEN));
      assertThat(health.status()).isEqualTo(200);
      assertThat(health.json().getString("status")).isEqualTo("UP");
      assertThat(client.get(gw.adminPort(), "/admin/nope", bearer(TestGateway.ADMIN_TOKEN)).status()).isEqualTo(404);
      assertThat(client.send(HttpMethod.DELETE, gw.adminPort(), "/admin/health", bearer(TestGateway.ADMIN_TOKEN), null)
          .status()).isEqualTo(405);
    }
  }

  @Test
  void listsTheEffectiveRoutes(Vertx vertx) throws Exception {
    try (TestGateway gw = TestGateway.start(dir, """
            upstreams:
              users:
                targets: ["http://127.0.0.1:9", { url: "http://127.0.0.1:10", weight: 3 }]
            routes:
              - id: users
                path: /users/{id}
                methods: [get]
                upstream: users
                rewrite: /v2/users/{id}
                timeouts: { connect: 250ms }
            """);
        TestClient client = new TestClient(vertx)) {
      Reply reply = client.get(gw.adminPort(), "/admin/routes", bearer(TestGateway.ADMIN_TOKEN));
      JsonObject route = reply.json().getJsonArray("routes").getJsonObject(0);
      assertThat(route.getString("id")).isEqualTo("users");
      assertThat(route.getString("path")).isEqualTo("/users/{id}");
      assertThat(route.getJsonArray("methods").getList()).containsExactly("GET");
      assertThat(route.getString("rewrite")).isEqualTo("/v2/users/{id}");
      assertThat(route.getJsonObject("timeouts").getString("connect")).isEqualTo("250ms");
      assertThat(route.getJsonObject("timeouts").getString("response")).isEqualTo("30s");
      assertThat(route.getJsonObject("upstream").getJsonArray("targets").getJsonObject(1).getInteger("weight")).isEqualTo(3);
    }
  }

  @Test
  void generatesAPrivateTokenFileWhenNoneIsConfigured(Vertx vertx) throws Exception {
    Path file = dir.resolve("sluice.yaml");
    Files.writeString(file, """
        server: { host: 127.0.0.1, port: 0, eventLoops: 1 }
        admin: { port: 0 }
        health: { port: 0 }
        accessLog: { enabled: false }
        reload: { watch: false }
        """);
    Gateway gateway = Gateway.start(file);
    try (TestClient client = new TestClient(vertx)) {
      Path tokenFile = dir.resolve("admin.token");
      assertThat(tokenFile).exists();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
      String token = Files.readString(tokenFile).trim();
      assertThat(token).hasSizeGreaterThanOrEqualTo(32);
      assertThat(client.get(gateway.adminPort(), "/admin/health", bearer(token)).status()).isEqualTo(200);
    } finally {
      gateway.close();
    }
  }
}
