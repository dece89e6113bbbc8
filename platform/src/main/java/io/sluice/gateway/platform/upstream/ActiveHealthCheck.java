// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.upstream;

import io.sluice.gateway.platform.config.HealthCheckConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The active health check of one upstream: every {@code interval}, {@code GET path} to each target that is
 * not already being probed; a response head with an expected status within {@code timeout} passes, anything
 * else (another status, refused, reset, timed out) fails. Health changes are logged.
 *
 * <p>Runs on one Vert.x context (the timer's), never blocking; probe bodies are drained, connections kept
 * alive.
 */
final class ActiveHealthCheck {

  private static final Logger log = LoggerFactory.getLogger(ActiveHealthCheck.class);

  private final Vertx vertx;
  private final HttpClient client;
  private final Upstream upstream;
  private final HealthCheckConfig config;
  private final boolean[] probing;
  private long timer = -1;
  private volatile boolean stopped;

  ActiveHealthCheck(Vertx vertx, HttpClient client, Upstream upstream) {
    this.vertx = vertx;
    this.client = client;
    this.upstream = upstream;
    this.config = upstream.healthCheck();
    this.probing = new boolean[upstream.targets().size()];
  }

  void start() {
    timer = vertx.setPeriodic(1, config.interval().toMillis(), id -> probeAll());
  }

  void stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  private void probeAll() {
    for (int i = 0; i < probing.length; i++) {
      if (!probing[i] && !stopped) {
        probing[i] = true;
        probe(i);
      }
    }
  }

  private void probe(int index) {
    TargetState state = upstream.targets().get(index);
    long timeout = config.timeout().toMillis();
    RequestOptions options = upstream.address(new RequestOptions(), state.target())
        .setMethod(HttpMethod.GET)
        .setURI(config.path())
        .setConnectTimeout(timeout)
        .setIdleTimeout(timeout)
        .setFollowRedirects(false);
    long[] deadline = {-1};
    boolean[] timedOut = {false};
    client.request(options)
        .compose(request -> {
          deadline[0] = vertx.setTimer(timeout, id -> {
            timedOut[0] = true;
            request.reset();
          });
          request.headers().set("User-Agent", "sluice-health-check");
          if (config.host() != null) {
            request.authority(HostAndPort.parseAuthority(config.host(), -1));
          }
          return request.send();
        })
        .onComplete(ar -> {
          if (deadline[0] >= 0) {
            vertx.cancelTimer(deadline[0]);
          }
          probing[index] = false;
          if (stopped) {
            return;
          }
          if (ar.succeeded()) {
            int status = ar.result().statusCode();
            ar.result().handler(b -> {}).exceptionHandler(e -> {});
            ar.result().resume();
            report(state, config.expects(status), "status " + status);
          } else {
            String where = state.target().host() + ":" + state.target().port();
            report(state, false, ProbeFailures.describe(ar.cause(), where, timeout, timedOut[0]));
          }
        });
  }

  private void report(TargetState state, boolean passed, String what) {
    if (state.probed(passed, passed ? null : what, config.healthyThreshold(), config.unhealthyThreshold())) {
      if (state.healthy()) {
        log.info("upstream {}: target {} is healthy again (health check {})", upstream, state.target(), config.path());
      } else {
        log.warn("upstream {}: target {} is unhealthy (health check {}: {})", upstream, state.target(), config.path(), what);
      }
    }
  }
}
