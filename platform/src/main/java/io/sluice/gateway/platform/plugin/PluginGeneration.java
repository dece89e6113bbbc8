// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.plugin;

import io.sluice.gateway.api.PolicyFactory;
import io.sluice.gateway.platform.policy.PolicyRegistry;
import io.sluice.gateway.platform.policy.RegisteredFactory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded set of plugins: a PF4J manager over a private copy of the plugins directory, with its own class
 * loaders, and the policy registry built from it. A reload builds the next generation beside this one; this
 * one is closed (plugins stopped, class loaders dropped, copy deleted) once no request in flight uses it.
 */
public final class PluginGeneration implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PluginGeneration.class);

  private final int number;
  private final DefaultPluginManager manager;
  private final Path copy;
  private final PolicyRegistry registry;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean closed;

  private PluginGeneration(int number, DefaultPluginManager manager, Path copy, PolicyRegistry registry) {
    this.number = number;
    this.manager = manager;
    this.copy = copy;
    this.registry = registry;
  }

  /**
   * Loads the jars and zips in {@code source} (copied to {@code copy} first, so that files replaced or removed
   * later do not disturb this generation). Plugins that fail to load or start are refused with a log line.
   *
   * @throws IllegalStateException when two plugins provide the same policy type
   */
  static PluginGeneration load(int number, Path source, Path copy, String platformVersion) throws IOException {
    Files.createDirectories(copy);
    if (Files.isDirectory(source)) {
      try (Stream<Path> files = Files.list(source)) {
        for (Path f : files.filter(PluginGeneration::isPluginFile).toList()) {
          Files.copy(f, copy.resolve(f.getFileName()));
        }
      }
    }
    DefaultPluginManager manager = new DefaultPluginManager(copy);
    manager.setSystemVersion(platformVersion);
    manager.loadPlugins();
    manager.startPlugins();
    for (PluginWrapper p : manager.getPlugins()) {
      if (p.getPluginState() != PluginState.STARTED) {
        log.error("plugin {} {} refused ({}): {}", p.getPluginId(), p.getDescriptor().getVersion(), p.getPluginState(),
            p.getFailedException() != null ? p.getFailedException().toString()
                : "it requires platform " + p.getDescriptor().getRequires() + ", this is " + platformVersion);
      } else {
        // Not "started" yet at INFO: the generation may still be refused (a route needs a removed type).
        log.debug("plugin {} {} loaded (generation {})", p.getPluginId(), p.getDescriptor().getVersion(), number);
      }
    }
    try {
      return new PluginGeneration(number, manager, copy, registryOf(manager));
    } catch (RuntimeException e) {
      manager.stopPlugins();
      manager.unloadPlugins();
      delete(copy);
      throw e;
    }
  }

  static boolean isPluginFile(Path f) {
    String name = f.getFileName().toString();
    return Files.isRegularFile(f) && (name.endsWith(".jar") || name.endsWith(".zip"));
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static PolicyRegistry registryOf(DefaultPluginManager manager) {
    List<RegisteredFactory> factories = new ArrayList<>();
    List<PolicyFactory> extensions = manager.getExtensions(PolicyFactory.class);
    for (PolicyFactory<?> f : extensions) {
      PluginWrapper owner = manager.whichPlugin(f.getClass());
      factories.add(new RegisteredFactory(f, owner == null ? "builtin" : owner.getPluginId()));
    }
    return PolicyRegistry.of(factories);
  }

  /** One line naming the plugins of this generation; logged once it serves. */
  void announce() {
    String started = manager.getStartedPlugins().stream()
        .map(p -> p.getPluginId() + " " + p.getDescriptor().getVersion()).sorted()
        .collect(java.util.stream.Collectors.joining(", "));
    log.info("plugins started (generation {}): {}", number, started.isEmpty() ? "none" : started);
  }

  public int number() {
    return number;
  }

  public PolicyRegistry registry() {
    return registry;
  }

  /** Counts a request that may use this generation's policies. */
  public void enter() {
    inFlight.incrementAndGet();
  }

  public void exit() {
    inFlight.decrementAndGet();
  }

  int inFlight() {
    return inFlight.get();
  }

  /** The plugins for {@code GET /admin/plugins}. */
  public JsonArray describe() {
    JsonArray plugins = new JsonArray();
    for (PluginWrapper p : manager.getPlugins()) {
      JsonArray types = new JsonArray();
      registry.all().stream().filter(f -> f.source().equals(p.getPluginId())).forEach(f -> types.add(f.factory().type()));
      plugins.add(new JsonObject()
          .put("id", p.getPluginId())
          .put("version", p.getDescriptor().getVersion())
          .put("state", p.getPluginState().toString())
          .put("requires", p.getDescriptor().getRequires())
          .put("file", p.getPluginPath().getFileName().toString())
          .put("policyTypes", types));
    }
    return plugins;
  }

  boolean closed() {
    return closed;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      manager.stopPlugins();
      manager.unloadPlugins();
    } catch (RuntimeException e) {
      log.warn("generation {}: plugins did not stop cleanly: {}", number, e.toString());
    }
    delete(copy);
  }

  private static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.warn("cannot delete {}: {}", dir, e.toString());
    }
  }
}
