// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Every relative path in the configuration is relative to the config file's directory, not the working one. */
@ExtendWith(VertxExtension.class)
class RelativePathsIT {

  @TempDir Path dir;

  @Test
  void scriptsPluginsAccessLogAndTokenFileResolveAgainstTheConfigFilesDirectory(Vertx vertx) throws Exception {
    Path conf = Files.createDirectories(dir.resolve("elsewhere/conf"));
    Files.createDirectories(conf.resolve("js"));
    Files.createDirectories(conf.resolve("plugs"));
    Files.writeString(conf.resolve("js/mark.js"), "function onRequest(e) { e.request.setHeader('X-Mark', 'js'); }\n");
    try (TestBackend backend = TestBackend.start(vertx, r -> r.response().end(String.valueOf(r.getHeader("X-Mark"))));
        TestClient client = new TestClient(vertx)) {
      Path file = conf.resolve("sluice.yaml");
      Files.writeString(file, """
          server: { host: 127.0.0.1, port: 0, eventLoops: 1 }
          admin: { port: 0, tokenFile: secrets/admin.token }
          health: { port: 0 }
          accessLog: { target: file, file: logs/access.log }
          reload: { watch: false }
          plugins: { dir: plugs, watch: false }
          scripts: { dir: js }
          routes:
            - { id: r, path: "/**", upstream: "%s", policies: [ { type: script, config: { file: mark.js } } ] }
          """.formatted(backend.url()));
      try (Gateway gw = Gateway.start(file)) {
        assertThat(client.get(gw.port(), "/x").body()).as("scripts.dir").isEqualTo("js");
        String token = Files.readString(conf.resolve("secrets/admin.token")).trim();
        TestClient.Reply plugins = client.get(gw.adminPort(), "/admin/plugins",
            MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + token));
        assertThat(plugins.status()).as("admin.tokenFile").isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(conf.resolve("logs/access.log")));
      }
      assertThat(Files.readString(conf.resolve("logs/access.log"))).as("accessLog.file").contains("\"route\":\"r\"");
    }
  }
}
