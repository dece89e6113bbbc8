// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import io.sluice.gateway.platform.accesslog.AccessLog;
import io.sluice.gateway.platform.admin.AdminError;
import io.sluice.gateway.platform.admin.AdminServer;
import io.sluice.gateway.platform.admin.AdminServer.AdminEndpoint;
import io.sluice.gateway.platform.admin.AdminToken;
import io.sluice.gateway.platform.config.ConfigLoader;
import io.sluice.gateway.platform.config.ConfigWatcher;
import io.sluice.gateway.platform.config.DirectoryFingerprint;
import io.sluice.gateway.platform.config.GatewayConfig;
import io.sluice.gateway.platform.config.InvalidConfigException;
import io.sluice.gateway.platform.cluster.ClusterBackend;
import io.sluice.gateway.platform.cluster.ClusterBackends;
import io.sluice.gateway.platform.echo.EchoServer;
import io.sluice.gateway.platform.health.HealthServer;
import io.sluice.gateway.platform.health.Readiness;
import io.sluice.gateway.platform.plugin.PluginGeneration;
import io.sluice.gateway.platform.plugin.PluginHost;
import io.sluice.gateway.platform.proxy.RoutingSnapshot;
import io.sluice.gateway.platform.policy.ChainAssembler;
import io.sluice.gateway.platform.policy.PolicyRegistry;
import io.sluice.gateway.platform.policy.RegisteredFactory;
import io.sluice.gateway.platform.policy.RoutePolicyContext;
import io.sluice.gateway.platform.script.ScriptEngineHolder;
import io.sluice.gateway.platform.script.ScriptFiles;
import io.sluice.gateway.platform.script.ScriptPolicyFactory;
import io.sluice.gateway.platform.route.RouteTable;
import io.sluice.gateway.platform.upstream.UpstreamRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: its Vert.x instance, one {@link GatewayVerticle} per event loop, the admin API, the
 * optional echo upstream, and the current {@link RouteTable}.
 *
 * <p>Reloads (file change or {@code POST /admin/reload}) compile the new file off the event loop and swap
 * the route table atomically; a file with any error is refused whole and the previous table keeps serving.
 * Routes and upstreams reload; {@code server}, {@code admin}, {@code accessLog} and {@code echo} take effect
 * at the next start (a warning says so).
 */
public final class Gateway implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Gateway.class);

  private final Path configFile;
  private final ConfigLoader loader;
  private final AtomicReference<RoutingSnapshot> routing = new AtomicReference<>();
  private final List<RoutingSnapshot> retiringSnapshots = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final ScriptEngineHolder scriptEngine = new ScriptEngineHolder();
  private @Nullable String scriptFingerprint;
  private volatile java.util.Set<String> scriptsInUse = java.util.Set.of();
  private final ClusterBackend cluster;
  private final UpstreamRegistry upstreams;
  private @Nullable PluginHost plugins;
  private @Nullable String pluginFingerprint;
  private final Instant startedAt = Instant.now();
  private List<io.sluice.gateway.api.config.ConfigException> bindingProblems = List.of();
  private volatile GatewayConfig config;
  private Vertx vertx;
  private AccessLog accessLog;
  private @Nullable AdminServer admin;
  private @Nullable EchoServer echo;
  private @Nullable HealthServer health;
  /** Readiness conditions: the first configuration compiled (routes, plugins, scripts), the listeners bound. */
  private final Readiness readiness = new Readiness();
  static final String READY_CONFIG = "configuration";
  static final String READY_LISTENER = "listeners";
  private @Nullable ConfigWatcher watcher;
  private String deploymentId;
  private int port;

  private Gateway(Path configFile, ConfigLoader loader, GatewayConfig config) {
    this.configFile = configFile;
    this.loader = loader;
    this.config = config;
    this.cluster = ClusterBackends.create(config);
    this.upstreams = new UpstreamRegistry(configFile.toAbsolutePath().getParent());
  }

  /**
   * Loads the configuration and starts everything; returns once the gateway listens. Blocking: call it from
   * a main or test thread.
   *
   * @throws InvalidConfigException when the file is invalid (nothing is started)
   */
  public static Gateway start(Path configFile) {
    ConfigLoader loader = new ConfigLoader();
    ConfigLoader.Loaded loaded = loader.loadAll(configFile);
    if (loaded.config() == null) {
      throw new InvalidConfigException(configFile.toString(), loaded.problems());
    }
    Gateway gateway = new Gateway(configFile, loader, loaded.config());
    gateway.bindingProblems = loaded.problems();
    try {
      gateway.boot();
    } catch (RuntimeException | IOException e) {
      gateway.close();
      throw e instanceof RuntimeException r ? r : new IllegalStateException("cannot start: " + e, e);
    }
    return gateway;
  }

  private void boot() throws IOException {
    int loops = config.server().effectiveEventLoops();
    // Fail fast, before plugins load and scripts warm up, when a port is taken.
    Ports.requireFree(config.server().host(), config.server().port(), "server.port");
    if (config.admin().enabled()) {
      Ports.requireFree(config.admin().host(), config.admin().port(), "admin.port");
    }
    if (config.health().enabled()) {
      Ports.requireFree(config.health().host(), config.health().port(), "health.port");
    }
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
    readiness.register(READY_CONFIG);
    readiness.register(READY_LISTENER);
    if (config.health().enabled()) {
      // Up first: live at once, and ready (200) only once everything below is loaded and listening.
      health = await(Ports.namingBindFailure(
          HealthServer.start(vertx, config.health().host(), config.health().port(), readiness),
          config.health().host(), config.health().port(), "health.port"));
    }
    plugins = PluginHost.start(resolve(config.plugins().dir()), platformVersion());
    pluginFingerprint = plugins.fingerprint();
    PluginGeneration first = plugins.current();
    scriptsInUse = ScriptFiles.usedBy(config);
    scriptFingerprint = scriptFingerprint();
    upstreams.start(vertx);
    // With binding problems the rest is still compiled, so that the refusal lists every error of the file.
    RouteTable initial = RouteTable.compile(config, configFile.toString(), assemblerFor(first), upstreams, bindingProblems);
    bindingProblems = List.of();
    routing.set(new RoutingSnapshot(initial, first));
    upstreams.activate(initial.upstreams());
    readiness.set(READY_CONFIG, true);
    vertx.setPeriodic(10_000, id -> vertx.executeBlocking(() -> {
      cluster.sweep();
      return null;
    }));
    boolean watchPlugins = config.plugins().watch();
    vertx.setPeriodic(config.reload().interval().toMillis(), id -> vertx.executeBlocking(() -> {
      plugins.retireIdle();
      retireIdleSnapshots();
      if (config.scripts().watch()) {
        String scripts = scriptFingerprint();
        if (!scripts.equals(scriptFingerprint)) {
          scriptFingerprint = scripts;
          try {
            reloadNow("script change");
          } catch (AdminError e) {
            // already logged; the previous scripts keep serving
          }
        }
      }
      if (watchPlugins && !plugins.fingerprint().equals(pluginFingerprint)) {
        try {
          reloadPluginsNow("plugin directory change");
        } catch (AdminError e) {
          // already logged; the previous plugins keep serving
        }
      }
      return null;
    }, false));
    accessLog = AccessLog.open(config.accessLog().withFile(resolve(config.accessLog().file()).toString()));
    if (config.echo().enabled()) {
      echo = await(EchoServer.start(vertx, config.echo()));
    }
    AtomicInteger connections = new AtomicInteger();
    AtomicInteger boundPort = new AtomicInteger();
    GatewayConfig started = config;
    deploymentId = await(Ports.namingBindFailure(vertx.deployVerticle(
        () -> new GatewayVerticle(started.server(), routing::get, accessLog, connections, boundPort),
        new DeploymentOptions().setInstances(loops)), started.server().host(), started.server().port(), "server.port"));
    port = boundPort.get();
    String tokenWhere = "";
    if (config.admin().enabled()) {
      AdminToken token;
      if (config.admin().token() != null) {
        token = AdminToken.of(config.admin().token());
        tokenWhere = "token from the configuration";
      } else {
        Path tokenFile = resolve(config.admin().tokenFile()).toAbsolutePath();
        token = AdminToken.fromFile(tokenFile);
        tokenWhere = "token in " + tokenFile;
      }
      admin = await(Ports.namingBindFailure(
          AdminServer.start(vertx, config.admin().host(), config.admin().port(), token, adminEndpoints()),
          started.admin().host(), started.admin().port(), "admin.port"));
    }
    readiness.set(READY_LISTENER, true);
    if (config.reload().watch()) {
      watcher = ConfigWatcher.start(vertx, configFile, config.reload().interval(), () -> reload("file change"));
    }
    log.info("Sluice {} listening on {}:{} with {} routes on {} event loops ({} transport); admin API {}; health {}",
        version(), config.server().host(), port, routes().routes().size(), loops,
        vertx.isNativeTransportEnabled() ? "native" : "NIO",
        admin == null ? "disabled" : config.admin().host() + ":" + admin.port() + " (" + tokenWhere + ")",
        health == null ? "disabled" : "http://" + config.health().host() + ":" + health.port() + "/health/ready");
  }

  /**
   * The one rule for relative paths in the configuration ({@code plugins.dir}, {@code scripts.dir},
   * {@code accessLog.file}, {@code admin.tokenFile}, {@code tls.caFile}): relative to the config file's directory.
   */
  private Path resolve(String file) {
    Path p = Path.of(file);
    Path dir = configFile.toAbsolutePath().getParent();
    return p.isAbsolute() || dir == null ? p : dir.resolve(p);
  }

  private Map<String, AdminEndpoint> adminEndpoints() {
    Map<String, AdminEndpoint> endpoints = new LinkedHashMap<>();
    endpoints.put("GET /admin/health", request -> Future.succeededFuture(health()));
    endpoints.put("GET /admin/routes", request -> Future.succeededFuture(RouteDescriptions.describe(routes())));
    endpoints.put("GET /admin/upstreams", request -> {
      JsonArray list = new JsonArray();
      routes().upstreams().all().forEach(u -> list.add(u.describe()));
      return Future.succeededFuture(new JsonObject().put("upstreams", list));
    });
    endpoints.put("GET /admin/plugins", request -> {
      PluginGeneration current = routing.get().plugins();
      return Future.succeededFuture(new JsonObject()
          .put("generation", current.number())
          .put("retiringGenerations", plugins.retiringCount())
          .put("plugins", current.describe())
          .put("policyTypes", RouteDescriptions.policyTypes(registryFor(current))));
    });
    endpoints.put("POST /admin/plugins/reload", request -> vertx.executeBlocking(() -> reloadPluginsNow("admin API"), false)
        .map(snapshot -> new JsonObject()
            .put("status", "reloaded")
            .put("generation", snapshot.plugins().number())
            .put("plugins", snapshot.plugins().describe())));
    endpoints.put("POST /admin/reload", request -> reload("admin API").map(table ->
        new JsonObject().put("status", "reloaded").put("routes", table.routes().size())));
    return endpoints;
  }

  private JsonObject health() {
    return new JsonObject()
        .put("status", "UP")
        .put("version", version())
        .put("startedAt", startedAt.toString())
        .put("uptimeSeconds", Duration.between(startedAt, Instant.now()).toSeconds())
        .put("routes", routes().routes().size())
        .put("scriptEngine", scriptEngine.describe())
        .put("javaVersion", Runtime.version().toString());
  }

  /**
   * Reloads the configuration file. Fails with {@link AdminError} (400 {@code CONFIG_INVALID}, listing every
   * problem) when the file is refused; the current configuration keeps serving.
   */
  public Future<RouteTable> reload(String trigger) {
    return vertx.executeBlocking(() -> reloadNow(trigger), false);
  }

  private synchronized RouteTable reloadNow(String trigger) {
    GatewayConfig next;
    RouteTable table;
    try {
      ConfigLoader.Loaded loaded = loader.loadAll(configFile);
      next = loaded.orThrowIfUnbound(configFile.toString());
      scriptsInUse = ScriptFiles.usedBy(next);
      scriptFingerprint = scriptFingerprint();
      table = RouteTable.compile(next, configFile.toString(), assemblerFor(routing.get().plugins()), upstreams,
          loaded.problems());
    } catch (InvalidConfigException e) {
      log.error("configuration refused ({}); still serving the previous one. {}", trigger, e.getMessage());
      throw new AdminError(400, "CONFIG_INVALID", "the configuration was refused; the previous one keeps serving",
          e.problems().stream().map(Throwable::getMessage).toList());
    }
    warnAboutRestartOnlyChanges(config, next);
    swap(new RoutingSnapshot(table, routing.get().plugins()));
    config = next;
    log.info("configuration reloaded ({}): {} routes", trigger, table.routes().size());
    return table;
  }

  /**
   * Loads the plugins directory as a new generation, recompiles the current configuration against it and
   * swaps both in. Refused (the current plugins keep serving) when the configuration does not compile against
   * the new plugins, e.g. a route still uses a policy type whose plugin was removed.
   */
  private synchronized RoutingSnapshot reloadPluginsNow(String trigger) {
    pluginFingerprint = plugins.fingerprint();
    PluginGeneration next;
    try {
      next = plugins.loadNext();
    } catch (RuntimeException e) {
      log.error("plugins refused ({}); the previous plugins keep serving: {}", trigger, e.getMessage());
      throw new AdminError(400, "PLUGINS_REFUSED", "the plugins were refused; the previous ones keep serving",
          List.of(e.getMessage()));
    }
    RouteTable table;
    try {
      table = RouteTable.compile(config, configFile.toString(), assemblerFor(next), upstreams);
    } catch (InvalidConfigException e) {
      next.close();
      log.error("plugins refused ({}): the configuration does not work with them; the previous plugins keep serving. {}",
          trigger, e.getMessage());
      throw new AdminError(400, "PLUGINS_REFUSED", "the configuration does not work with the new plugins",
          e.problems().stream().map(Throwable::getMessage).toList());
    }
    RoutingSnapshot snapshot = new RoutingSnapshot(table, next);
    swap(snapshot);
    plugins.install(next);
    log.info("plugins reloaded ({}): generation {}, {} policy types", trigger, next.number(), next.registry().all().size());
    return snapshot;
  }

  /**
   * The state of the script files the configuration uses (the last one read, even if refused, so that adding
   * the file a refused configuration lacked reloads it). Other files of the directory change nothing.
   */
  private String scriptFingerprint() {
    return DirectoryFingerprint.ofFiles(resolve(config.scripts().dir()), scriptsInUse);
  }

  /** Makes {@code next} current; the previous snapshot closes its policies once its requests are done. */
  private void swap(RoutingSnapshot next) {
    RoutingSnapshot previous = routing.getAndSet(next);
    upstreams.activate(next.routes().upstreams());
    if (previous != null && previous != next) {
      retiringSnapshots.add(previous);
    }
  }

  private void retireIdleSnapshots() {
    for (RoutingSnapshot s : retiringSnapshots) {
      if (s.idle()) {
        retiringSnapshots.remove(s);
        s.closePolicies();
      }
    }
  }

  private ChainAssembler assemblerFor(PluginGeneration generation) {
    return new ChainAssembler(registryFor(generation), loader,
        (routeId, type) -> new RoutePolicyContext(routeId, vertx, cluster.namespaced(type)));
  }

  /** The policy types routes can use with {@code generation}: its plugins' and the platform's own ({@code script}). */
  private PolicyRegistry registryFor(PluginGeneration generation) {
    ScriptPolicyFactory scripts = new ScriptPolicyFactory(scriptEngine::get,
        resolve(config.scripts().dir()).toAbsolutePath(), config.server().effectiveEventLoops());
    return generation.registry().plus(List.of(new RegisteredFactory(scripts, "builtin")));
  }

  private static void warnAboutRestartOnlyChanges(GatewayConfig current, GatewayConfig next) {
    List<String> changed = new java.util.ArrayList<>();
    if (!current.server().equals(next.server())) {
      changed.add("server");
    }
    if (!current.admin().equals(next.admin())) {
      changed.add("admin");
    }
    if (!current.accessLog().equals(next.accessLog())) {
      changed.add("accessLog");
    }
    if (!current.health().equals(next.health())) {
      changed.add("health");
    }
    if (!current.echo().equals(next.echo())) {
      changed.add("echo");
    }
    if (!current.reload().equals(next.reload())) {
      changed.add("reload");
    }
    if (!current.plugins().equals(next.plugins())) {
      changed.add("plugins");
    }
    if (!changed.isEmpty()) {
      log.warn("changes to {} take effect at the next restart", changed);
    }
  }

  /** The proxy listener's port (the bound one when configured as 0). */
  public int port() {
    return port;
  }

  /** The admin listener's port, or -1 when the admin API is disabled. */
  public int adminPort() {
    return admin == null ? -1 : admin.port();
  }

  /** The health listener's port, or -1 when it is disabled. */
  public int healthPort() {
    return health == null ? -1 : health.port();
  }

  /** What must hold before the gateway reports ready; later parts (the cluster) register conditions here. */
  public Readiness readiness() {
    return readiness;
  }

  /** The echo upstream's port, or -1 when it is off. */
  public int echoPort() {
    return echo == null ? -1 : echo.port();
  }

  public RouteTable routes() {
    return routing.get().routes();
  }

  /** The plugin generation serving new requests. */
  public PluginGeneration plugins() {
    return routing.get().plugins();
  }

  /**
   * Graceful shutdown: stop accepting connections, let requests in flight finish for up to
   * {@code server.shutdownGrace}, then close everything. Blocking: never call it from an event loop.
   */
  @Override
  public void close() {
    if (vertx == null) {
      return;
    }
    if (watcher != null) {
      watcher.stop();
    }
    Duration wait = config.server().shutdownGrace().plusSeconds(30);
    Future<Void> proxies = deploymentId == null ? Future.succeededFuture() : vertx.undeploy(deploymentId);
    Future<Void> servers = proxies
        .eventually(() -> admin == null ? Future.succeededFuture() : admin.close())
        .eventually(() -> echo == null ? Future.succeededFuture() : echo.close())
        .eventually(() -> health == null ? Future.succeededFuture() : health.close());
    try {
      servers.toCompletionStage().toCompletableFuture().get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.warn("graceful shutdown did not complete: {}", e.toString());
    }
    upstreams.close();
    if (accessLog != null) {
      accessLog.close();
    }
    for (RoutingSnapshot s : retiringSnapshots) {
      s.closePolicies();
    }
    if (routing.get() != null) {
      routing.get().closePolicies();
    }
    scriptEngine.close();
    if (plugins != null) {
      plugins.close();
    }
    // Called from this (non-Vert.x) thread so that its completion does not need an event loop that is closing.
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("Vert.x did not close cleanly: {}", e.toString());
    }
  }

  /** The version plugins' {@code Plugin-Requires} is checked against: the release part of {@link #version()}. */
  static String platformVersion() {
    String v = version();
    int dash = v.indexOf('-');
    String release = dash > 0 ? v.substring(0, dash) : v;
    return release.equals("dev") ? "0.0.0" : release;
  }

  /** The platform version, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static String version() {
    try (var in = Gateway.class.getResourceAsStream("version.properties")) {
      java.util.Properties p = new java.util.Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "dev");
    } catch (IOException e) {
      return "dev";
    }
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause.getMessage(), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting", e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("timed out while starting", e);
    }
  }
}
