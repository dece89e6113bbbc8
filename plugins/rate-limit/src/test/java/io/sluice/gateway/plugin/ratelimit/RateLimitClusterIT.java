// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testkit.GatewayProcess;
import io.sluice.gateway.testkit.TestBackend;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster scope on real members: three gateway processes on embedded Hazelcast (the test kit's
 * {@link GatewayProcess}, this module on their class path), one backend, and clients offering about twice the
 * limit with a 70/20/10 % skew across the nodes over several windows. Compiled only where the test kit has
 * {@code GatewayProcess} (see this module's pom).
 *
 * <p>A request is attributed to the window its send and its answer both fall in (the node decided it in
 * between); the few that straddle an edge are reported apart: they count toward the lower bound only.
 */
class RateLimitClusterIT {

  static final long WINDOW = 10_000;
  static final int LIMIT = 2_000;
  static final double[] SKEW = {0.7, 0.2, 0.1};

  @TempDir static Path dir;
  static TestBackend backend;
  static final List<GatewayProcess> nodes = new ArrayList<>();
  static final List<GatewayProcess.Ports> ports = new ArrayList<>();

  @BeforeAll
  static void startThreeNodes() throws Exception {
    backend = new TestBackend();
    for (int i = 0; i < 3; i++) {
      ports.add(GatewayProcess.Ports.free());
    }
    String members = ports.stream().map(p -> "127.0.0.1:" + p.cluster()).collect(Collectors.joining(", "));
    List<java.util.concurrent.CompletableFuture<GatewayProcess>> starting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      GatewayProcess.Ports p = ports.get(i);
      Path file = Files.createDirectories(dir.resolve("n" + i)).resolve("sluice.yaml");
      Files.writeString(file, """
          server: { host: 127.0.0.1, port: %d, eventLoops: 1 }
          admin: { host: 127.0.0.1, port: %d, token: rate-limit-it-admin-token }
          health: { host: 127.0.0.1, port: %d }
          accessLog: { enabled: false }
          plugins: { dir: plugins }
          cluster: { backend: hazelcast, name: rl-it, port: %d, portAutoIncrement: false, members: [%s] }
          upstreams: { app: { targets: ["%s"] } }
          routes:
            - id: fixed
              path: /fixed/**
              upstream: app
              policies: [ { type: rate-limit, config: { scope: cluster, by: route, limit: %d, window: 10s } } ]
            - id: sliding
              path: /sliding/**
              upstream: app
              policies: [ { type: rate-limit, config: { scope: cluster, by: route, limit: %d, window: 10s, algorithm: sliding-window } } ]
          """.formatted(p.proxy(), p.admin(), p.health(), p.cluster(), members, backend.url(), LIMIT, LIMIT));
      String name = "n" + i;
      starting.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> GatewayProcess.start(name, file, p)));
    }
    for (var f : starting) {
      nodes.add(f.join());
    }
  }

  @AfterAll
  static void stopAll() throws Exception {
    nodes.parallelStream().forEach(GatewayProcess::close);
    if (backend != null) {
      backend.close();
    }
  }

  /** Admitted per window: [0] decided surely in the window, [1] straddling its start. */
  record Tally(int[] sure, int[] straddling, int failed) {}

  /** Offers {@code 2 x LIMIT} per window to {@code path}, skewed, for {@code windows} whole windows. */
  static Tally hammer(String path, int windows) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      long start = (System.currentTimeMillis() / WINDOW + 1) * WINDOW;
      long end = start + windows * WINDOW;
      int[] sure = new int[windows];
      int[] straddling = new int[windows + 1];
      AtomicInteger failed = new AtomicInteger();
      AtomicInteger inFlight = new AtomicInteger();
      CountDownLatch finished = new CountDownLatch(3);
      double perTick = 2.0 * LIMIT / (WINDOW / 10.0); // a tick every 10 ms
      for (int n = 0; n < 3; n++) {
        int port = nodes.get(n).ports().proxy();
        double share = perTick * SKEW[n];
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port),
            new PoolOptions().setHttp1MaxSize(32));
        double[] owed = {0};
        vertx.setTimer(Math.max(1, start - System.currentTimeMillis()), t0 -> vertx.setPeriodic(10, id -> {
          if (System.currentTimeMillis() >= end) {
            vertx.cancelTimer(id);
            finished.countDown();
            return;
          }
          owed[0] += share;
          for (; owed[0] >= 1; owed[0]--) {
            long sent = System.currentTimeMillis();
            inFlight.incrementAndGet();
            client.request(HttpMethod.GET, path).compose(r -> r.send().compose(resp -> resp.body().map(b -> resp.statusCode())))
                .onComplete(ar -> {
                  long got = System.currentTimeMillis();
                  if (ar.failed() || (ar.result() != 200 && ar.result() != 429)) {
                    failed.incrementAndGet();
                  } else if (ar.result() == 200) {
                    long ws = sent / WINDOW;
                    long wg = got / WINDOW;
                    int w = (int) ((sent - start) / WINDOW);
                    synchronized (sure) {
                      if (ws == wg && w >= 0 && w < windows) {
                        sure[w]++;
                      } else if (w + 1 >= 0 && w + 1 <= windows) {
                        straddling[w + 1]++;
                      }
                    }
                  }
                  inFlight.decrementAndGet();
                });
          }
        }));
      }
      assertThat(finished.await(windows * WINDOW / 1000 + 30, TimeUnit.SECONDS)).isTrue();
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> inFlight.get() == 0);
      return new Tally(sure, straddling, failed.get());
    } finally {
      vertx.close().await();
    }
  }

  static void check(String what, Tally t) {
    System.out.printf("%s on 3 processes: admitted per window %s (+ straddling an edge %s), failed %d%n", what,
        Arrays.toString(t.sure()), Arrays.toString(t.straddling()), t.failed());
    assertThat(t.failed()).as("no request fails").isZero();
    for (int w = 0; w < t.sure().length; w++) {
      assertThat(t.sure()[w]).as("%s window %d", what, w).isLessThanOrEqualTo(LIMIT);
      assertThat(t.sure()[w] + t.straddling()[w] + t.straddling()[w + 1]).as("%s window %d, at least 98 %%", what, w)
          .isGreaterThanOrEqualTo((int) (0.98 * LIMIT));
    }
  }

  @Test
  void fixedWindowHoldsTheLimitAcrossThreeProcesses() throws Exception {
    check("fixed-window", hammer("/fixed/x", 3));
  }

  @Test
  void slidingWindowHoldsTheLimitAcrossThreeProcesses() throws Exception {
    Tally t = hammer("/sliding/x", 3);
    System.out.printf("sliding-window on 3 processes: admitted per window %s%n", Arrays.toString(t.sure()));
    assertThat(t.failed()).isZero();
    for (int w = 0; w < t.sure().length; w++) {
      assertThat(t.sure()[w]).as("sliding window %d", w).isLessThanOrEqualTo(LIMIT);
    }
    // Windows after the first of a steady overload: the estimate lets about the limit through per window.
    for (int w = 1; w < t.sure().length; w++) {
      assertThat(t.sure()[w] + t.straddling()[w] + t.straddling()[w + 1]).as("sliding window %d", w)
          .isGreaterThanOrEqualTo((int) (0.98 * LIMIT));
    }
  }
}
