// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import io.sluice.gateway.api.auth.Consumers;
import io.sluice.gateway.platform.accesslog.AccessLog;
import io.sluice.gateway.platform.exchange.ExchangeListener;
import io.sluice.gateway.platform.analytics.GatewayAnalytics;
import io.sluice.gateway.platform.metrics.GatewayMetrics;
import io.sluice.gateway.platform.admin.AdminServer;
import io.sluice.gateway.platform.admin.AdminToken;
import io.sluice.gateway.platform.admin.ReloadHistory;
import io.sluice.gateway.platform.config.ConfigLoader;
import io.sluice.gateway.platform.config.ConfigSnapshot;
import io.sluice.gateway.platform.config.ConfigSource;
import io.sluice.gateway.platform.config.FileConfigSource;
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
import io.sluice.gateway.platform.consumer.ConfiguredConsumers;
import io.sluice.gateway.platform.policy.ChainAssembler;
import io.sluice.gateway.platform.policy.PolicyRegistry;
import io.sluice.gateway.platform.policy.RegisteredFactory;
import io.sluice.gateway.platform.policy.RoutePolicyContext;
import io.sluice.gateway.platform.proxy.PolicyUpstreams;
import io.sluice.gateway.platform.reload.LiveRouting;
import io.sluice.gateway.platform.reload.ReloadRefused;
import io.sluice.gateway.platform.reload.Reloader;
import io.sluice.gateway.platform.script.ScriptEngineHolder;
import io.sluice.gateway.platform.script.ScriptPolicyFactory;
import io.sluice.gateway.platform.route.RouteTable;
import io.sluice.gateway.platform.tracing.SpanExports;
import io.sluice.gateway.platform.tracing.Tracing;
import io.sluice.gateway.platform.upstream.UpstreamRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway, the composition root: its Vert.x instance, one {@link GatewayVerticle} per event loop,
 * the admin API, the health listener, the optional echo upstream, and the {@link Reloader} that keeps the
 * route table current.
 *
 * <p>The configuration comes from a {@link ConfigSource} (today the file). Reloads (a change of the source,
 * of a script file or of the plugins directory, or the admin API) compile off the event loop and swap the
 * route table atomically; a configuration with any error is refused whole and the previous table keeps
 * serving. Routes and upstreams reload; {@code server}, {@code admin}, {@code accessLog} and {@code echo} take
 * effect at the next start (a warning says so).
 */
public final class Gateway implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Gateway.class);

  private final ConfigSource source;
  private final ConfigLoader loader;
  private final ConfigSnapshot first;
  private final ScriptEngineHolder scriptEngine = new ScriptEngineHolder();
  private final ClusterBackend cluster;
  private final UpstreamRegistry upstreams;
  private final LiveRouting routing;
  /** The event loops' proxy handlers, for the requests policies send through their route ({@code upstream()}). */
  private final PolicyUpstreams policyUpstreams = new PolicyUpstreams();
  private @Nullable PluginHost plugins;
  private final Instant startedAt = Instant.now();
  /** The configuration the gateway started with: the sections that apply only at a start come from it. */
  private final GatewayConfig config;
  private Vertx vertx;
  private AccessLog accessLog;
  private @Nullable GatewayMetrics metrics;
  private @Nullable GatewayAnalytics analytics;
  private @Nullable Tracing tracing;
  private @Nullable Reloader reloader;
  private @Nullable AdminServer admin;
  private @Nullable EchoServer echo;
  private @Nullable HealthServer health;
  /** Readiness conditions: the first configuration compiled (routes, plugins, scripts), the listeners bound. */
  private final Readiness readiness = new Readiness();
  static final String READY_CONFIG = "configuration";
  static final String READY_LISTENER = "listeners";
  private String deploymentId;
  private int port;

  private Gateway(ConfigSource source, ConfigLoader loader, ConfigSnapshot first, ClusterBackend cluster) {
    this.source = source;
    this.loader = loader;
    this.first = first;
    this.config = first.orThrowIfUnbound();
    this.cluster = cluster;
    this.upstreams = new UpstreamRegistry(source.directory());
    this.routing = new LiveRouting(upstreams);
  }

  /**
   * Loads the configuration file and starts everything; returns once the gateway listens. Blocking: call it
   * from a main or test thread.
   *
   * @throws InvalidConfigException when the file is invalid (nothing is started)
   */
  public static Gateway start(Path configFile) {
    ConfigLoader loader = new ConfigLoader();
    return start(new FileConfigSource(configFile, loader), loader);
  }

  /**
   * Reads the first configuration from {@code source} and starts everything; see {@link #start(Path)}.
   *
   * @param loader binds the policies' {@code config} objects
   */
  static Gateway start(ConfigSource source, ConfigLoader loader) {
    ConfigSnapshot first = source.read();
    if (first.config() == null) {
      throw new InvalidConfigException(source.name(), first.problems());
    }
    // The cluster first: in one, the shared sections of the configuration are the cluster's copy.
    ClusterBackend cluster = ClusterBackends.create(first.config());
    Gateway gateway;
    try {
      ConfigSource served = cluster.configSource(source, loader);
      if (served != source) {
        first = served.read();
        if (first.config() == null) {
          throw new InvalidConfigException(served.name(), first.problems());
        }
      }
      gateway = new Gateway(served, loader, first, cluster);
    } catch (RuntimeException e) {
      cluster.close(); // a Hazelcast member's threads would outlive the failed start
      throw e;
    }
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
    upstreams.start(vertx);
    Reloader reloads = new Reloader(vertx, source, first, plugins, routing,
        this::compile);
    reloader = reloads;
    cluster.follow(reloads, version());
    if (config.metrics().enabled()) {
      metrics = new GatewayMetrics(version(), config.metrics());
      reloads.listen(metrics);
      upstreams.listen(metrics.upstreams());
      metrics.inFlight(routing::inFlight);
    }
    ReloadHistory reloadHistory = new ReloadHistory();
    reloads.listen(reloadHistory);
    // With binding problems the rest is still compiled, so that the refusal lists every error of the file.
    RouteTable initial = reloads.installFirst(first.problems());
    readiness.set(READY_CONFIG, true);
    vertx.setPeriodic(10_000, id -> vertx.executeBlocking(() -> {
      cluster.sweep();
      return null;
    }));
    accessLog = AccessLog.open(config.accessLog().withFile(resolve(config.accessLog().file()).toString()));
    if (config.echo().enabled()) {
      echo = await(EchoServer.start(vertx, config.echo()));
    }
    List<ExchangeListener> listeners = new ArrayList<>();
    if (accessLog.enabled()) {
      listeners.add(accessLog);
    }
    if (metrics != null) {
      listeners.add(metrics.exchanges());
    }
    if (config.analytics().enabled()) {
      analytics = new GatewayAnalytics(config.analytics(), java.time.Clock.systemUTC(), cluster.board("analytics"));
      analytics.start(vertx);
      listeners.add(analytics.exchanges());
    }
    ExchangeListener exchanges = listeners.isEmpty() ? null : ExchangeListener.of(listeners);
    AtomicInteger connections = new AtomicInteger();
    if (metrics != null) {
      metrics.connections(connections);
    }
    AtomicInteger boundPort = new AtomicInteger();
    GatewayConfig started = config;
    tracing = Tracing.of(config.tracing(), version(),
        metrics != null && config.tracing().exports() ? metrics.tracingExports() : SpanExports.NONE);
    Tracing traced = tracing;
    deploymentId = await(Ports.namingBindFailure(vertx.deployVerticle(
        () -> new GatewayVerticle(started.server(), routing::current, exchanges, connections, boundPort).tracing(traced)
            .policyUpstreams(policyUpstreams),
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
      GatewayAdmin backend = new GatewayAdmin(startedAt, scriptEngine, routing, plugins, this::registryFor, reloads,
          () -> vertx.executeBlocking(cluster::describe, false), metrics, analytics, reloadHistory);
      admin = await(Ports.namingBindFailure(
          AdminServer.start(vertx, config.admin().host(), config.admin().port(), token, backend),
          started.admin().host(), started.admin().port(), "admin.port"));
    }
    readiness.set(READY_LISTENER, true);
    reloads.watch(config.reload().interval(), config.reload().watch(), config.plugins().watch());
    log.info("Sluice {} listening on {}:{} with {} routes on {} event loops ({} transport); admin API {}; health {}",
        version(), config.server().host(), port, initial.routes().size(), loops,
        vertx.isNativeTransportEnabled() ? "native" : "NIO",
        admin == null ? "disabled" : config.admin().host() + ":" + admin.port() + " (" + tokenWhere + ")",
        health == null ? "disabled" : "http://" + config.health().host() + ":" + health.port() + "/health/ready");
  }

  /**
   * The one rule for relative paths in the configuration ({@code plugins.dir}, {@code scripts.dir},
   * {@code accessLog.file}, {@code admin.tokenFile}, {@code tls.caFile}): relative to the source's directory
   * (the config file's).
   */
  private Path resolve(String file) {
    return source.directory().resolve(file);
  }

  /**
   * Reloads the configuration from its source. Fails with {@link ReloadRefused} (listing every problem) when
   * it is refused; the current configuration keeps serving.
   */
  public Future<RouteTable> reload(String trigger) {
    return Objects.requireNonNull(reloader, "not started").reloadConfiguration(trigger);
  }

  /** Compiles {@code next} against {@code generation}; with metrics, the meters it makes serve only if it does. */
  private RouteTable compile(GatewayConfig next, PluginGeneration generation,
      List<io.sluice.gateway.api.config.ConfigException> earlier) {
    GatewayMetrics m = metrics;
    PolicyUpstreams.Binding bound = policyUpstreams.binding(generation);
    if (m == null) {
      RouteTable table = RouteTable.compile(next, source.name(), assemblerFor(generation, next, bound), upstreams, earlier);
      bound.bind(table);
      return table;
    }
    RouteTable table = m.compiling(
        () -> RouteTable.compile(next, source.name(), assemblerFor(generation, next, bound), upstreams, earlier),
        t -> t.routes().stream().map(io.sluice.gateway.platform.route.Route::id).toList());
    bound.bind(table);
    return table;
  }

  /**
   * The assembler for one configuration: its policies see that configuration's consumers (and meters), and
   * their route's upstream in it ({@code bound}, bound once the table compiles).
   */
  private ChainAssembler assemblerFor(PluginGeneration generation, GatewayConfig next, PolicyUpstreams.Binding bound) {
    Consumers consumers = next.consumers().isEmpty() ? Consumers.none() : new ConfiguredConsumers(next.consumers(), loader);
    GatewayMetrics m = metrics;
    if (m == null) {
      return new ChainAssembler(registryFor(generation, next), loader,
          (routeId, type) -> new RoutePolicyContext(routeId, vertx, cluster.namespaced(type), consumers)
              .withUpstream(bound.forRoute(routeId)), consumers);
    }
    return new ChainAssembler(registryFor(generation, next), loader,
        (routeId, type) -> RoutePolicyContext.withMeters(routeId, vertx, cluster.namespaced(type), consumers,
            m.policyMeters(routeId, type)).withUpstream(bound.forRoute(routeId)), consumers)
        .withTimings(m.policyTimings());
  }

  /**
   * The policy types routes can use with {@code generation}: its plugins' and the platform's own ({@code script}),
   * whose files are in the serving configuration's {@code scripts.dir}.
   */
  private PolicyRegistry registryFor(PluginGeneration generation) {
    return registryFor(generation, reloader == null ? config : reloader.config());
  }

  /** The same, with the script files of {@code with}'s {@code scripts.dir}: the configuration being compiled. */
  private PolicyRegistry registryFor(PluginGeneration generation, GatewayConfig with) {
    ScriptPolicyFactory scripts = new ScriptPolicyFactory(scriptEngine::get,
        resolve(with.scripts().dir()).toAbsolutePath(), config.server().effectiveEventLoops());
    return generation.registry().plus(List.of(new RegisteredFactory(scripts, "builtin")));
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
    return serving().routes();
  }

  /** The plugin generation serving new requests. */
  public PluginGeneration plugins() {
    return serving().plugins();
  }

  private RoutingSnapshot serving() {
    return Objects.requireNonNull(routing.current(), "not started");
  }

  /**
   * Graceful shutdown: stop accepting connections, let requests in flight finish for up to
   * {@code server.shutdownGrace}, then close everything. Blocking: never call it from an event loop.
   */
  @Override
  public void close() {
    if (vertx == null) {
      cluster.close();
      return;
    }
    if (reloader != null) {
      reloader.stop();
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
    if (analytics != null) {
      analytics.close();
    }
    // After the requests in flight (their policies may use it), before Vert.x: hands this member's partitions over.
    cluster.close();
    upstreams.close();
    if (metrics != null) {
      metrics.close();
    }
    if (accessLog != null) {
      accessLog.close();
    }
    if (tracing != null) {
      tracing.close(); // after the requests in flight: their spans are queued by now
    }
    routing.close();
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
