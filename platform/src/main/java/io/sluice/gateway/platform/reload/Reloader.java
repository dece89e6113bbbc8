// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.reload;

import io.sluice.gateway.api.config.ConfigException;
import io.sluice.gateway.platform.config.ConfigSnapshot;
import io.sluice.gateway.platform.config.ConfigSource;
import io.sluice.gateway.platform.config.DirectoryFingerprint;
import io.sluice.gateway.platform.config.GatewayConfig;
import io.sluice.gateway.platform.config.InvalidConfigException;
import io.sluice.gateway.platform.plugin.PluginGeneration;
import io.sluice.gateway.platform.plugin.PluginHost;
import io.sluice.gateway.platform.proxy.RoutingSnapshot;
import io.sluice.gateway.platform.route.RouteTable;
import io.sluice.gateway.platform.script.ScriptFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the three things that change under a running gateway: the configuration (from its {@link
 * ConfigSource}), the script files that configuration uses, and the plugins directory. One periodic {@link
 * #check()} on a worker thread compares each one's fingerprint with the last one seen and reloads what
 * changed; {@code POST /admin/reload} and {@code POST /admin/plugins/reload} call the same reloads.
 *
 * <p>A reload compiles everything off the event loop and swaps it in with one atomic write, or is refused
 * whole with a {@link ReloadRefused} (logged once, here) while the previous configuration and plugins keep
 * serving. Each change is seen once: a refused one is not retried until its source changes again. Reloads are
 * serialised on this object.
 */
public final class Reloader {

  // The reload lines keep the category they always had: operators' filters and the tests look for it there.
  private static final Logger log = LoggerFactory.getLogger("io.sluice.gateway.platform.Gateway");

  /** Compiles a configuration against a plugin generation (the gateway's route table, policies included). */
  @FunctionalInterface
  public interface Compiler {
    /**
     * @param earlier problems the source already found while binding, reported together with the new ones
     * @throws InvalidConfigException listing every problem
     */
    RouteTable compile(GatewayConfig config, PluginGeneration plugins, List<ConfigException> earlier);
  }

  /**
   * Told of each configuration the reloader applies or refuses and of each plugin generation it installs, on
   * the reloading (worker) thread: the cluster publishes and reports through it.
   */
  public interface Listener {
    /** {@code version} (the snapshot's) now serves with {@code plugins}. */
    void applied(String version, GatewayConfig config, PluginGeneration plugins);

    /** {@code version} was refused for {@code problems}; the previous configuration keeps serving. */
    void refused(String version, List<String> problems);

    /** A new plugin generation serves. */
    default void pluginsInstalled(PluginGeneration plugins) {}

    /** A plugin reload was refused for {@code problems}; the previous plugins keep serving. */
    default void pluginsRefused(List<String> problems) {}

    /** A reload for a changed script file was applied, or refused. */
    default void scriptsReloaded(boolean applied) {}
  }

  /** Tells every registered listener, in registration order. */
  private final Listener listener = new Listener() {
    @Override
    public void applied(String version, GatewayConfig config, PluginGeneration plugins) {
      listeners.forEach(l -> l.applied(version, config, plugins));
    }

    @Override
    public void refused(String version, List<String> problems) {
      listeners.forEach(l -> l.refused(version, problems));
    }

    @Override
    public void pluginsInstalled(PluginGeneration plugins) {
      listeners.forEach(l -> l.pluginsInstalled(plugins));
    }

    @Override
    public void pluginsRefused(List<String> problems) {
      listeners.forEach(l -> l.pluginsRefused(problems));
    }

    @Override
    public void scriptsReloaded(boolean applied) {
      listeners.forEach(l -> l.scriptsReloaded(applied));
    }
  };

  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final Vertx vertx;
  private final ConfigSource source;
  private final PluginHost plugins;
  private final LiveRouting routing;
  private final Compiler compiler;
  private volatile GatewayConfig config;
  private String seenVersion;
  private String seenPlugins = "";
  private String seenScripts = "";
  private Set<String> scriptsInUse = Set.of();
  /** Where {@link #scriptsInUse} are: the {@code scripts.dir} of the last configuration read. */
  private String scriptsDir = "";
  private long timer = -1;

  /**
   * @param first the configuration the gateway starts with, read from {@code source}
   */
  public Reloader(Vertx vertx, ConfigSource source, ConfigSnapshot first, PluginHost plugins, LiveRouting routing,
      Compiler compiler) {
    this.vertx = vertx;
    this.source = source;
    this.config = first.orThrowIfUnbound();
    this.seenVersion = first.version();
    this.plugins = plugins;
    this.routing = routing;
    this.compiler = compiler;
  }

  /**
   * Compiles the first configuration (reporting {@code bindingProblems} with the rest) against the current
   * plugins and makes it serve. Blocking.
   *
   * @throws InvalidConfigException when it does not compile (nothing serves)
   */
  public synchronized RouteTable installFirst(List<ConfigException> bindingProblems) {
    seenPlugins = plugins.fingerprint();
    scriptsInUse = ScriptFiles.usedBy(config);
    scriptsDir = config.scripts().dir();
    seenScripts = scriptFingerprint();
    PluginGeneration generation = plugins.current();
    RouteTable table = compiler.compile(config, generation, bindingProblems);
    routing.swap(new RoutingSnapshot(table, generation));
    listener.applied(seenVersion, config, generation);
    return table;
  }

  /** Adds a {@link Listener} (the cluster's node reports, the metrics); call it before {@link #installFirst}. */
  public void listen(Listener listener) {
    listeners.add(Objects.requireNonNull(listener));
  }

  /**
   * Reloads the configuration if its source's version moved since it was last read (another node changed
   * the cluster's copy), on a worker; a refusal is logged and reported, not failed.
   */
  public Future<Void> reloadIfChanged(String trigger) {
    return vertx.executeBlocking(() -> {
      synchronized (this) {
        if (routing.current() != null && !source.version().equals(seenVersion)) {
          try {
            reloadConfigurationNow(trigger);
          } catch (ReloadRefused e) {
            // already logged and reported; the previous configuration keeps serving
          }
        }
      }
      return null;
    }, false);
  }

  /**
   * Starts the periodic check every {@code interval}: retires idle snapshots and plugin generations, and
   * reloads what changed among the sources being watched ({@code watchSource}: the configuration source;
   * {@code watchPlugins}: the plugins directory; the script files when the current {@code scripts.watch} says so).
   */
  public void watch(Duration interval, boolean watchSource, boolean watchPlugins) {
    timer = vertx.setPeriodic(interval.toMillis(), id -> vertx.executeBlocking(() -> {
      check(watchSource, watchPlugins);
      return null;
    }, false));
  }

  /** Stops the periodic check. */
  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** The configuration serving now. */
  public GatewayConfig config() {
    return config;
  }

  /** Reloads the configuration from its source, on a worker; fails with {@link ReloadRefused}. */
  public Future<RouteTable> reloadConfiguration(String trigger) {
    return vertx.executeBlocking(() -> reloadConfigurationNow(trigger), false);
  }

  /**
   * Loads the plugins directory as a new generation, recompiles the current configuration against it and
   * swaps both in, on a worker. Fails with {@link ReloadRefused} (the current plugins keep serving) when the
   * plugins do not load or the configuration does not compile against them, e.g. a route still uses a policy
   * type whose plugin was removed.
   */
  public Future<PluginGeneration> reloadPlugins(String trigger) {
    return vertx.executeBlocking(() -> reloadPluginsNow(trigger), false);
  }

  /** One pass of the periodic check. Blocking. */
  synchronized void check(boolean watchSource, boolean watchPlugins) {
    plugins.retireIdle();
    routing.retireIdle();
    try {
      if (watchSource && !source.version().equals(seenVersion)) {
        reloadConfigurationNow("file change");
      } else if (config.scripts().watch() && !scriptFingerprint().equals(seenScripts)) {
        try {
          reloadConfigurationNow("script change");
          listener.scriptsReloaded(true);
        } catch (ReloadRefused e) {
          listener.scriptsReloaded(false);
          throw e;
        }
      }
    } catch (ReloadRefused e) {
      // already logged; the previous configuration keeps serving
    }
    if (watchPlugins && !plugins.fingerprint().equals(seenPlugins)) {
      try {
        reloadPluginsNow("plugin directory change");
      } catch (ReloadRefused e) {
        // already logged; the previous plugins keep serving
      }
    }
  }

  synchronized RouteTable reloadConfigurationNow(String trigger) {
    ConfigSnapshot snapshot = source.read();
    seenVersion = snapshot.version();
    PluginGeneration generation = current().plugins();
    GatewayConfig next;
    RouteTable table;
    try {
      next = snapshot.orThrowIfUnbound();
      // The script files of the last configuration read, even if refused: adding the file it lacked reloads it.
      scriptsInUse = ScriptFiles.usedBy(next);
      scriptsDir = next.scripts().dir();
      seenScripts = scriptFingerprint();
      table = compiler.compile(next, generation, snapshot.problems());
    } catch (InvalidConfigException e) {
      log.error("configuration refused ({}); still serving the previous one. {}", trigger, e.getMessage());
      listener.refused(snapshot.version(), messages(e));
      throw new ReloadRefused(ReloadRefused.Kind.CONFIGURATION, source.name(),
          "the configuration was refused; the previous one keeps serving", messages(e));
    }
    List<String> restartOnly = RestartOnlySections.changed(config, next);
    if (!restartOnly.isEmpty()) {
      log.warn("changes to {} take effect at the next restart", restartOnly);
    }
    routing.swap(new RoutingSnapshot(table, generation));
    config = next;
    log.info("configuration reloaded ({}): {} routes", trigger, table.routes().size());
    listener.applied(snapshot.version(), next, generation);
    return table;
  }

  synchronized PluginGeneration reloadPluginsNow(String trigger) {
    seenPlugins = plugins.fingerprint();
    String directory = plugins.directory().toString();
    PluginGeneration next;
    try {
      next = plugins.loadNext();
    } catch (RuntimeException e) {
      log.error("plugins refused ({}); the previous plugins keep serving: {}", trigger, e.getMessage());
      listener.pluginsRefused(List.of(String.valueOf(e.getMessage())));
      throw new ReloadRefused(ReloadRefused.Kind.PLUGINS, directory,
          "the plugins were refused; the previous ones keep serving", List.of(String.valueOf(e.getMessage())));
    }
    RouteTable table;
    try {
      table = compiler.compile(config, next, List.of());
    } catch (InvalidConfigException e) {
      next.close();
      log.error("plugins refused ({}): the configuration does not work with them; the previous plugins keep serving. {}",
          trigger, e.getMessage());
      listener.pluginsRefused(messages(e));
      throw new ReloadRefused(ReloadRefused.Kind.PLUGINS, directory,
          "the configuration does not work with the new plugins", messages(e));
    }
    routing.swap(new RoutingSnapshot(table, next));
    plugins.install(next);
    listener.pluginsInstalled(next);
    log.info("plugins reloaded ({}): generation {}, {} policy types", trigger, next.number(), next.registry().all().size());
    return next;
  }

  private RoutingSnapshot current() {
    return Objects.requireNonNull(routing.current(), "installFirst has not run");
  }

  /**
   * The state of the script files the configuration uses; other files of the scripts directory change nothing.
   * Resolved against the {@code scripts.dir} of the last configuration read (the one a reload compiles its
   * scripts from), relative to the source's directory.
   */
  private String scriptFingerprint() {
    return DirectoryFingerprint.ofFiles(source.directory().resolve(scriptsDir), scriptsInUse);
  }

  private static List<String> messages(InvalidConfigException e) {
    return e.problems().stream().map(Throwable::getMessage).toList();
  }
}
