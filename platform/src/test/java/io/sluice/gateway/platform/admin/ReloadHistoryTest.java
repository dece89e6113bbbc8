// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.platform.config.ConfigLoader;
import io.sluice.gateway.platform.config.GatewayConfig;
import io.sluice.gateway.platform.plugin.PluginHost;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reload outcomes {@code GET /admin/reloads} answers: newest first, bounded, copies. */
class ReloadHistoryTest {

  @TempDir Path dir;

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-02T01:00:00Z"), ZoneOffset.UTC);

  private final GatewayConfig config = new ConfigLoader().parse("""
      routes:
        - id: a
          path: /a
          upstream: "http://127.0.0.1:9"
      """, "test.yaml");

  @Test
  void keepsTheNewestOutcomesFirstUpToItsCapacity() {
    try (PluginHost plugins = PluginHost.start(dir.resolve("plugins"), "0.1.0")) {
      ReloadHistory history = new ReloadHistory(3, CLOCK);
      assertThat(history.describe().getValue("config")).isNull();
      history.applied("v1", config, plugins.current());
      history.refused("v2", List.of("routes[0].path: must start with '/'"));
      history.pluginsInstalled(plugins.current());
      history.applied("v3", config, plugins.current());

      JsonObject d = history.describe();
      assertThat(d.getJsonObject("config")).isEqualTo(new JsonObject().put("version", "v3")
          .put("since", "2026-12-02T01:00:00Z"));
      JsonArray reloads = d.getJsonArray("reloads");
      assertThat(reloads).hasSize(3);
      assertThat(reloads.getJsonObject(0).getString("version")).isEqualTo("v3");
      assertThat(reloads.getJsonObject(0).getInteger("routes")).isEqualTo(1);
      assertThat(reloads.getJsonObject(1).getString("kind")).isEqualTo("plugins");
      assertThat(reloads.getJsonObject(2)).isEqualTo(new JsonObject().put("at", "2026-12-02T01:00:00Z")
          .put("kind", "configuration").put("outcome", "refused").put("version", "v2")
          .put("problems", new JsonArray().add("routes[0].path: must start with '/'")));

      reloads.getJsonObject(0).put("version", "changed by a reader");
      assertThat(history.describe().getJsonArray("reloads").getJsonObject(0).getString("version")).isEqualTo("v3");
    }
  }

  @Test
  void refusesANonPositiveCapacity() {
    assertThatThrownBy(() -> new ReloadHistory(0, CLOCK)).isInstanceOf(IllegalArgumentException.class);
  }
}
