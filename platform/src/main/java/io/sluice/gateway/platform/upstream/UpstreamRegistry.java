// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.upstream;

import io.sluice.gateway.api.config.ConfigException;
import io.sluice.gateway.platform.config.TargetConfig;
import io.sluice.gateway.platform.config.UpstreamConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * What outlives one configuration: the state of every target (so a reload keeps health, ejections and
 * latency of targets it keeps) and the active health checks of the serving upstreams.
 *
 * <p>{@link #build} runs while a configuration compiles (off the event loop, and the configuration may still
 * be refused); {@link #activate} runs once it serves. One instance per gateway.
 */
public final class UpstreamRegistry implements AutoCloseable {

  private final @Nullable Path configDir;
  private final LongSupplier clock;
  private final Map<String, TargetState> states = new ConcurrentHashMap<>();
  private final List<ActiveHealthCheck> checks = new ArrayList<>();
  private @Nullable Vertx vertx;
  private @Nullable HttpClient probeClient;

  /** @param configDir what relative file names in upstream settings ({@code tls.caFile}) are relative to */
  public UpstreamRegistry(@Nullable Path configDir) {
    this(configDir, System::nanoTime);
  }

  private volatile UpstreamListener listener = UpstreamListener.NONE;

  UpstreamRegistry(@Nullable Path configDir, LongSupplier clock) {
    this.configDir = configDir;
    this.clock = clock;
  }

  /** Reports the outcomes of the upstreams built from now on to {@code listener}. Call before compiling. */
  public void listen(UpstreamListener listener) {
    this.listener = listener;
  }

  /** Builds an upstream for a configuration being compiled, reusing the states of targets it already knows. */
  Upstream build(String name, String basePath, UpstreamConfig config) {
    boolean anyTls = false;
    List<TargetState> targets = new ArrayList<>();
    for (int i = 0; i < config.targets().size(); i++) {
      TargetConfig tc = config.targets().get(i);
      Target target = Target.of(tc.uri(), tc.weight());
      anyTls |= target.tls();
      targets.add(states.computeIfAbsent(key(name, target), k -> new TargetState(target)));
    }
    if (!anyTls && !config.tls().equals(io.sluice.gateway.platform.config.UpstreamTlsConfig.defaults())) {
      throw new ConfigException("tls", "applies to https:// targets, and this upstream has none");
    }
    return new Upstream(name, basePath, config, targets, UpstreamTls.options(name, config.tls(), configDir), clock,
        listener);
  }

  private static String key(String upstream, Target target) {
    return upstream + ' ' + target + ' ' + target.weight();
  }

  /** Gives the registry the Vert.x instance its health checks run on. Call once, before {@link #activate}. */
  public void start(Vertx vertx) {
    this.vertx = vertx;
    this.probeClient = vertx.createHttpClient(
        new HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(10).setVerifyHost(true).setForceSni(true),
        new PoolOptions().setHttp1MaxSize(2));
  }

  /**
   * Makes {@code upstreams} the serving ones: applies their breaker settings, forgets targets no longer
   * configured, and restarts the active health checks for them.
   */
  public synchronized void activate(Upstreams upstreams) {
    Set<String> keep = new HashSet<>();
    for (Upstream u : upstreams.all()) {
      u.activate();
      for (TargetState t : u.targets()) {
        keep.add(key(u.name(), t.target()));
      }
    }
    states.keySet().retainAll(keep);
    listener.serving(upstreams.all());
    for (ActiveHealthCheck check : checks) {
      check.stop();
    }
    checks.clear();
    for (Upstream u : upstreams.all()) {
      if (u.healthCheck() == null) {
        u.targets().forEach(TargetState::clearProbes);
      } else if (vertx != null && probeClient != null) {
        ActiveHealthCheck check = new ActiveHealthCheck(vertx, probeClient, u);
        check.start();
        checks.add(check);
      }
    }
  }

  @Override
  public synchronized void close() {
    for (ActiveHealthCheck check : checks) {
      check.stop();
    }
    checks.clear();
  }
}
