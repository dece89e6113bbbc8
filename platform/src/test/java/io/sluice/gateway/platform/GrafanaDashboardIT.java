// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/grafana/sluice.json is valid JSON, and every metric its panels query is in a scrape of a gateway that
 * just served traffic; the plugins' meters (not loaded in the platform's tests) must at least be documented.
 */
@ExtendWith(VertxExtension.class)
class GrafanaDashboardIT {

  private static final Path DASHBOARD = Path.of("..", "docs", "grafana", "sluice.json");
  private static final Path DOC = Path.of("..", "docs", "observability.md");
  private static final Pattern METRIC = Pattern.compile("\\b((?:sluice|jvm|netty|process)_[a-z0-9_]+)");

  @TempDir Path dir;

  @Test
  void everyMetricTheDashboardQueriesIsScrapedOrDocumented(Vertx vertx) throws Exception {
    JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD));
    Set<String> queried = new TreeSet<>();
    JsonArray panels = dashboard.getJsonArray("panels");
    assertThat(panels).isNotEmpty();
    for (int i = 0; i < panels.size(); i++) {
      JsonArray targets = panels.getJsonObject(i).getJsonArray("targets");
      for (int t = 0; t < targets.size(); t++) {
        Matcher m = METRIC.matcher(targets.getJsonObject(t).getString("expr"));
        while (m.find()) {
          queried.add(m.group(1));
        }
      }
    }
    assertThat(queried).contains("sluice_requests_total", "sluice_upstream_target_available");
    String doc = Files.readString(DOC);
    try (TestBackend backend = TestBackend.start(vertx, req -> req.response().end("ok"));
        TestGateway gw = TestGateway.start(dir, """
            consumers: [{ id: guest }]
            routes:
              - id: api
                path: /api
                upstream: "%s"
                authentication: { anonymous: guest }
                policies: [{ type: trace, config: { name: t } }]
            """.formatted(backend.url()));
        TestClient client = new TestClient(vertx)) {
      assertThat(client.get(gw.port(), "/api").status()).isEqualTo(200);
      MultiMap token = MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + TestGateway.ADMIN_TOKEN);
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
        String scrape = client.get(gw.adminPort(), "/metrics", token).body();
        for (String name : queried) {
          if (name.startsWith("sluice_plugin_")) {
            assertThat(doc).as("plugin metric %s is documented", name).contains("`" + name + "`");
          } else {
            assertThat(scrape).as("metric %s is scraped", name).containsPattern("(?m)^" + name + "[{ ]");
          }
        }
      });
    }
  }
}
