// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.plugin;

import io.sluice.gateway.api.PolicyFactory;
import io.sluice.gateway.platform.policy.PolicyRegistry;
import io.sluice.gateway.platform.policy.RegisteredFactory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugins of the gateway: PF4J's manager over the plugins directory. A plugin that cannot be loaded
 * (broken jar, unsatisfied {@code Plugin-Requires}, failing start) is refused with a log line and the
 * gateway goes on without it. Blocking: call off the event loop.
 */
public final class PluginHost implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PluginHost.class);

  private final PluginManager manager;
  private final Path directory;

  private PluginHost(PluginManager manager, Path directory) {
    this.manager = manager;
    this.directory = directory;
  }

  /**
   * @param directory where plugin jars and zips are (created when missing)
   * @param platformVersion checked against each plugin's {@code Plugin-Requires}
   */
  public static PluginHost start(Path directory, String platformVersion) {
    try {
      Files.createDirectories(directory);
    } catch (java.io.IOException e) {
      log.warn("cannot create the plugins directory {}: {}", directory, e.toString());
    }
    DefaultPluginManager manager = new DefaultPluginManager(directory);
    manager.setSystemVersion(platformVersion);
    manager.setExactVersionAllowed(true);
    manager.loadPlugins();
    manager.startPlugins();
    for (PluginWrapper p : manager.getPlugins()) {
      if (p.getPluginState() != PluginState.STARTED) {
        log.error("plugin {} {} refused ({}): {}", p.getPluginId(), p.getDescriptor().getVersion(),
            p.getPluginState(), p.getFailedException() != null ? p.getFailedException().toString()
                : "requires " + p.getDescriptor().getRequires() + ", platform is " + platformVersion);
      } else {
        log.info("plugin {} {} started", p.getPluginId(), p.getDescriptor().getVersion());
      }
    }
    return new PluginHost(manager, directory);
  }

  /** Every policy factory: the started plugins' and those on the gateway's class path ({@code builtin}). */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public PolicyRegistry registry() {
    List<RegisteredFactory> factories = new ArrayList<>();
    List<PolicyFactory> extensions = manager.getExtensions(PolicyFactory.class);
    for (PolicyFactory<?> f : extensions) {
      PluginWrapper owner = manager.whichPlugin(f.getClass());
      factories.add(new RegisteredFactory(f, owner == null ? "builtin" : owner.getPluginId()));
    }
    return PolicyRegistry.of(factories);
  }

  /** The plugins for {@code GET /admin/plugins}. */
  public JsonArray describe(PolicyRegistry registry) {
    JsonArray plugins = new JsonArray();
    for (PluginWrapper p : manager.getPlugins()) {
      JsonArray types = new JsonArray();
      registry.all().stream().filter(f -> f.source().equals(p.getPluginId())).forEach(f -> types.add(f.factory().type()));
      plugins.add(new JsonObject()
          .put("id", p.getPluginId())
          .put("version", p.getDescriptor().getVersion())
          .put("state", p.getPluginState().toString())
          .put("requires", p.getDescriptor().getRequires())
          .put("policyTypes", types));
    }
    return plugins;
  }

  public Path directory() {
    return directory;
  }

  @Override
  public void close() {
    manager.stopPlugins();
    manager.unloadPlugins();
  }
}
