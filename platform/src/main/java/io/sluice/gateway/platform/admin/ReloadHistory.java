// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.admin;

import io.sluice.gateway.platform.config.GatewayConfig;
import io.sluice.gateway.platform.plugin.PluginGeneration;
import io.sluice.gateway.platform.reload.Reloader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The last {@link #capacity} reload outcomes of this node, newest first, and the configuration version serving
 * now, for {@code GET /admin/reloads} (the dashboard's "recent reloads"). Told by the {@link Reloader} on its
 * worker thread; read on the admin event loop, hence synchronized (a handful of entries, rarely written).
 */
public final class ReloadHistory implements Reloader.Listener {

  /** How many outcomes are kept when no capacity is given. */
  public static final int DEFAULT_CAPACITY = 20;

  private final int capacity;
  private final Clock clock;
  private final Deque<JsonObject> entries = new ArrayDeque<>();
  private @Nullable JsonObject serving;

  public ReloadHistory(int capacity, Clock clock) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1");
    }
    this.capacity = capacity;
    this.clock = clock;
  }

  public ReloadHistory() {
    this(DEFAULT_CAPACITY, Clock.systemUTC());
  }

  @Override
  public synchronized void applied(String version, GatewayConfig config, PluginGeneration plugins) {
    JsonObject entry = entry("configuration", "applied").put("version", version)
        .put("routes", config.routes().size()).put("pluginGeneration", plugins.number());
    serving = new JsonObject().put("version", version).put("since", entry.getString("at"));
    add(entry);
  }

  @Override
  public synchronized void refused(String version, List<String> problems) {
    add(entry("configuration", "refused").put("version", version).put("problems", new JsonArray(List.copyOf(problems))));
  }

  @Override
  public synchronized void pluginsInstalled(PluginGeneration plugins) {
    add(entry("plugins", "applied").put("pluginGeneration", plugins.number()));
  }

  /** {@code {"config": {"version", "since"}, "reloads": [newest first]}}; a copy. */
  public synchronized JsonObject describe() {
    JsonArray list = new JsonArray();
    entries.forEach(e -> list.add(e.copy()));
    return new JsonObject()
        .put("config", serving == null ? null : serving.copy())
        .put("capacity", capacity)
        .put("reloads", list);
  }

  private JsonObject entry(String kind, String outcome) {
    return new JsonObject().put("at", clock.instant().toString()).put("kind", kind).put("outcome", outcome);
  }

  private void add(JsonObject entry) {
    entries.addFirst(entry);
    while (entries.size() > capacity) {
      entries.removeLast();
    }
  }
}
