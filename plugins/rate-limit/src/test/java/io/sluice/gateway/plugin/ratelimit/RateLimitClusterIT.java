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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster scope on real members: three gateway processes on embedded Hazelcast (the test kit's
 * {@link GatewayProcess}, this module on their class path), one backend, one cluster for the whole class, and
 * clients offering about twice the limit with a 70/20/10 % skew across the nodes. The last test SIGKILLs a
 * node, so it runs last.
 *
 * <p><b>What is counted, and why the checks cannot fail by luck.</b> A node decides a request between its send
 * and its answer. So a request whose send and answer both fall in window {@code w} was surely decided in
 * {@code w} ({@code sure[w]}); the few that straddle an edge are reported apart. The upper bounds use only
 * what was surely decided (a subset of what the cluster admitted), so they hold on any schedule:
 *
 * <ul>
 *   <li>fixed window: {@code sure[w] ≤ LIMIT} for every window;
 *   <li>sliding window: at every answer time {@code t} in window {@code w}, {@code sure[w-1]·(1 − f(t)) +
 *       answered[w](t) ≤ LIMIT}, where {@code answered[w](t)} counts the admitted requests sent in {@code w}
 *       and answered by {@code t} (decided by then) and {@code sure[w-1]} is at most the previous window's real
 *       count: both sides under-estimate what the cluster enforces, {@code p·(1 − f) + c ≤ limit};
 *   <li>token bucket (burst {@code B}, refill {@code LIMIT} per window {@code P}): at every answer time
 *       {@code t}, the admitted requests answered by {@code t} are at most {@code B + LIMIT·(t − t0)/P}, with
 *       {@code t0} the first send (the bucket is created full by the first take, after it).
 * </ul>
 *
 * <p>The lower bounds ({@code ≥ 98 %}) measure the leases' under-admission and hold only when the load was
 * really offered: they are judged on <em>steady</em> windows only, those in which every client's 10 ms
 * timer ran with no gap over {@link #MAX_TICK_GAP_MILLIS} and no answer took over {@link #MAX_LATENCY_MILLIS}
 * (a GC pause or a scheduler delay on a shared 2-core machine under-offers by luck). The upper-bound tests'
 * runs are reused when steady; otherwise {@code atLeast98PercentOfTheLimitUnderSteadySkewedOverload} makes
 * new runs, up to {@link #ATTEMPTS}, and is reported as skipped (never passed) when an algorithm got no steady
 * run at all. Straddling requests count toward the lower bound. The injected-clock
 * {@code RateLimitClusterTest} asserts the lower bound on every window.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RateLimitClusterIT {

  static final long WINDOW = 5_000;
  static final int LIMIT = 1_000;
  static final int BURST = 200;
  static final long MAX_TICK_GAP_MILLIS = 100;
  static final long MAX_LATENCY_MILLIS = 500;
  static final double[] SKEW = {0.7, 0.2, 0.1};
  /** Runs per algorithm for the lower bound, the upper-bound test's included. */
  static final int ATTEMPTS = 3;

  @TempDir static Path dir;
  static TestBackend backend;
  static final List<GatewayProcess> nodes = new ArrayList<>();
  static long startedIn;
  /** The upper-bound tests' runs, for the lower-bound test to judge when they were steady. */
  static Run slidingRun;
  static Run bucketRun;

  @BeforeAll
  static void startThreeNodes() throws Exception {
    long t0 = System.nanoTime();
    backend = new TestBackend();
    List<GatewayProcess.Ports> ports = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ports.add(GatewayProcess.Ports.free());
    }
    String members = ports.stream().map(p -> "127.0.0.1:" + p.cluster()).collect(Collectors.joining(", "));
    List<CompletableFuture<GatewayProcess>> starting = new ArrayList<>();
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
              policies: [ { type: rate-limit, config: { scope: cluster, by: route, limit: %d, window: 5s } } ]
            - id: sliding
              path: /sliding/**
              upstream: app
              policies: [ { type: rate-limit, config: { scope: cluster, by: route, limit: %d, window: 5s, algorithm: sliding-window } } ]
            - id: bucket
              path: /bucket/**
              upstream: app
              policies: [ { type: rate-limit, config: { scope: cluster, by: route, limit: %d, window: 5s, algorithm: token-bucket, burst: %d } } ]
          """.formatted(p.proxy(), p.admin(), p.health(), p.cluster(), members, backend.url(), LIMIT, LIMIT, LIMIT,
          BURST));
      String name = "n" + i;
      starting.add(CompletableFuture.supplyAsync(() -> GatewayProcess.start(name, file, p)));
    }
    for (var f : starting) {
      nodes.add(f.join());
    }
    startedIn = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf("3 gateway processes ready in %d ms%n", startedIn);
  }

  @AfterAll
  static void stopAll() {
    nodes.parallelStream().forEach(GatewayProcess::close);
    if (backend != null) {
      backend.close();
    }
  }

  /** One admitted request: when it was sent and answered, and by which node. */
  record Admitted(long sent, long answered, int node) {}

  /** What a run saw: every admitted request, failures per node and in flight on a killed node, steadiness. */
  record Run(long start, int windows, List<Admitted> admitted, int[] failed, int failedInFlightOnKilled,
      int inFlightAtKill, boolean[] steady, long firstSend, long lastSend) {

    /** Admitted requests sent and answered in window {@code w}. */
    int sure(int w) {
      return (int) admitted.stream().filter(a -> window(a.sent) == w && window(a.answered) == w).count();
    }

    /** Admitted requests that straddle the start of window {@code w} (sent before it, answered in or after it). */
    int straddling(int w) {
      return (int) admitted.stream().filter(a -> window(a.sent) == w - 1 && window(a.answered) >= w).count();
    }

    int window(long t) {
      return (int) Math.floorDiv(t - start, WINDOW);
    }

    int[] sure() {
      int[] s = new int[windows];
      for (int w = 0; w < windows; w++) {
        s[w] = sure(w);
      }
      return s;
    }
  }

  /** Kill {@code node} (SIGKILL) at {@code atMillis} into the run; its clients' share moves to the survivors. */
  record Kill(int node, long atMillis) {}

  /**
   * Offers {@code 2 x LIMIT} per window to {@code path}, skewed, for {@code windows} whole windows; starts on a
   * window edge when {@code aligned}.
   */
  static Run hammer(String path, int windows, boolean aligned, Kill kill) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      long now = System.currentTimeMillis();
      long start = aligned ? (now / WINDOW + 1) * WINDOW : now + 20;
      long end = start + windows * WINDOW;
      List<Admitted> admitted = new ArrayList<>();
      int[] failed = new int[3];
      AtomicInteger failedOnKilled = new AtomicInteger();
      AtomicInteger inFlight = new AtomicInteger();
      AtomicInteger[] inFlightOn = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
      int[] inFlightAtKill = {0};
      boolean[] dead = new boolean[3];
      boolean[] steady = new boolean[windows];
      long[] sends = {Long.MAX_VALUE, Long.MIN_VALUE};
      Arrays.fill(steady, true);
      // The clients' timers and answers run on several event loops: every shared value is read and written
      // under this lock.
      Object lock = new Object();
      HttpClient[] clients = new HttpClient[3];
      for (int n = 0; n < 3; n++) {
        clients[n] = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
            .setDefaultPort(nodes.get(n).ports().proxy()), new PoolOptions().setHttp1MaxSize(32));
      }
      if (kill != null) {
        vertx.setTimer(Math.max(1, start + kill.atMillis() - System.currentTimeMillis()), t -> {
          synchronized (lock) {
            dead[kill.node()] = true; // the clients send nothing to it from now on
            inFlightAtKill[0] = inFlightOn[kill.node()].get();
          }
          vertx.executeBlocking(() -> {
            nodes.get(kill.node()).kill();
            return null;
          });
        });
      }
      CountDownLatch finished = new CountDownLatch(3);
      double perTick = 2.0 * LIMIT / (WINDOW / 10.0); // a tick every 10 ms
      for (int n = 0; n < 3; n++) {
        int self = n;
        double share = perTick * SKEW[n];
        double[] owed = {0};
        long[] lastTick = {start};
        int[] rr = {0};
        vertx.setTimer(Math.max(1, start - System.currentTimeMillis()), t0 -> vertx.setPeriodic(10, id -> {
          long tick = System.currentTimeMillis();
          if (tick - lastTick[0] > MAX_TICK_GAP_MILLIS) {
            synchronized (lock) {
              unsteady(steady, start, lastTick[0], tick); // this client offered nothing in between
            }
          }
          lastTick[0] = tick;
          if (tick >= end) {
            vertx.cancelTimer(id);
            finished.countDown();
            return;
          }
          owed[0] += share;
          for (; owed[0] >= 1; owed[0]--) {
            int target = self;
            long sent;
            synchronized (lock) {
              if (dead[target]) { // a load balancer's failover: the share goes to the survivors in turn
                do {
                  target = (target + 1 + (rr[0]++ % 2)) % 3;
                } while (dead[target]);
              }
              sent = System.currentTimeMillis();
              sends[0] = Math.min(sends[0], sent);
              sends[1] = Math.max(sends[1], sent);
              inFlight.incrementAndGet();
              inFlightOn[target].incrementAndGet();
            }
            int to = target;
            clients[to].request(HttpMethod.GET, path)
                .compose(r -> r.send().compose(resp -> resp.body().map(b -> resp.statusCode())))
                .onComplete(ar -> {
                  long got = System.currentTimeMillis();
                  synchronized (lock) {
                    inFlightOn[to].decrementAndGet();
                    if (got - sent > MAX_LATENCY_MILLIS) {
                      unsteady(steady, start, sent, got); // a node (or the client) stalled
                    }
                    boolean ok = ar.succeeded() && (ar.result() == 200 || ar.result() == 429);
                    if (!ok) {
                      if (dead[to]) {
                        failedOnKilled.incrementAndGet(); // in flight on the node when it died
                      } else {
                        failed[to]++;
                      }
                    } else if (ar.result() == 200) {
                      admitted.add(new Admitted(sent, got, to));
                    }
                    inFlight.decrementAndGet();
                  }
                });
          }
        }));
      }
      assertThat(finished.await(windows * WINDOW / 1000 + 30, TimeUnit.SECONDS)).isTrue();
      Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> inFlight.get() == 0);
      synchronized (lock) {
        return new Run(start, windows, List.copyOf(admitted), failed.clone(), failedOnKilled.get(), inFlightAtKill[0],
            steady.clone(), sends[0], sends[1]);
      }
    } finally {
      vertx.close().await();
    }
  }

  /** Marks the windows that {@code [from, to]} touches as not steady. */
  static void unsteady(boolean[] steady, long start, long from, long to) {
    for (long w = Math.max(0, (from - start) / WINDOW); w <= (to - start) / WINDOW && w < steady.length; w++) {
      steady[(int) w] = false;
    }
  }

  /** Admitted in window {@code w}, counting the requests that straddle either of its edges. */
  static int admittedIn(Run r, int w) {
    return r.sure(w) + r.straddling(w) + r.straddling(w + 1);
  }

  /** The sliding window's upper bound, at every answer in window 1 (see the class comment). */
  static void slidingUpperBound(Run r) {
    int previous = r.sure(0);
    assertThat(previous).as("window 0 (no previous window)").isLessThanOrEqualTo(LIMIT);
    List<Admitted> inOne = r.admitted().stream().filter(a -> r.window(a.sent()) == 1)
        .sorted((a, b) -> Long.compare(a.answered(), b.answered())).toList();
    long windowOne = r.start() + WINDOW;
    for (int i = 0; i < inOne.size(); i++) {
      long t = inOne.get(i).answered();
      double f = Math.min(1, (t - windowOne) / (double) WINDOW);
      double estimate = previous * (1 - f) + (i + 1);
      assertThat(estimate).as("the estimate at +%d ms of window 1", t - windowOne).isLessThanOrEqualTo(LIMIT + 1e-6);
    }
  }

  /** The token bucket's upper bound, at every answer: burst plus the refill since the first send. */
  static void bucketUpperBound(Run r) {
    List<Admitted> byAnswer = r.admitted().stream().sorted((a, b) -> Long.compare(a.answered(), b.answered())).toList();
    for (int i = 0; i < byAnswer.size(); i++) {
      long t = byAnswer.get(i).answered();
      double bound = BURST + LIMIT * (t - r.firstSend()) / (double) WINDOW;
      assertThat((double) (i + 1)).as("admitted by +%d ms", t - r.firstSend()).isLessThanOrEqualTo(bound + 1e-6);
    }
  }

  /** The tokens that accrued while load was offered: burst plus refill from the first send to the last. */
  static double offeredTokens(Run r) {
    return BURST + LIMIT * (r.lastSend() - r.firstSend()) / (double) WINDOW;
  }

  static boolean allSteady(Run r) {
    for (boolean s : r.steady()) {
      if (!s) {
        return false;
      }
    }
    return true;
  }

  static void report(String what, Run r) {
    int[] straddling = new int[r.windows() + 1];
    for (int w = 0; w <= r.windows(); w++) {
      straddling[w] = r.straddling(w);
    }
    System.out.printf("%s on 3 processes: admitted per window %s (+ straddling an edge %s), failed per node %s,"
            + " steady %s%n", what, Arrays.toString(r.sure()), Arrays.toString(straddling),
        Arrays.toString(r.failed()), Arrays.toString(r.steady()));
  }

  @Test
  @Order(1)
  void slidingWindowHoldsTheEstimateAcrossThreeProcesses() throws Exception {
    Run r = hammer("/sliding/x", 2, true, null);
    report("sliding-window", r);
    assertThat(r.failed()).as("no request fails").containsOnly(0);
    slidingUpperBound(r);
    slidingRun = r;
  }

  @Test
  @Order(2)
  void tokenBucketNeverHandsOutMoreThanItsBurstAndRefill() throws Exception {
    Run r = hammer("/bucket/x", 2, false, null);
    report("token-bucket", r);
    assertThat(r.failed()).as("no request fails").containsOnly(0);
    bucketUpperBound(r);
    bucketRun = r;
  }

  /**
   * Clients offering twice the limit, skewed 70/20/10 %, get at least 98 % of it: in window 0 of a fixed window,
   * in window 1 of a sliding window (after a full window 0), and of the tokens a bucket accrued over a run.
   * Each algorithm is judged on its first steady run (the upper-bound tests' runs count); every further run
   * is checked against the upper bounds too.
   */
  @Test
  @Order(3)
  void atLeast98PercentOfTheLimitUnderSteadySkewedOverload() throws Exception {
    List<String> unjudged = new ArrayList<>();
    Run fixed = null;
    for (int attempt = 1; attempt <= ATTEMPTS && (fixed == null || !fixed.steady()[0]); attempt++) {
      fixed = hammer("/fixed/x", 1, true, null);
      report("fixed-window (lower bound, attempt " + attempt + ")", fixed);
      assertThat(fixed.failed()).as("no request fails").containsOnly(0);
      assertThat(fixed.sure(0)).as("fixed window, admitted across the cluster").isLessThanOrEqualTo(LIMIT);
    }
    if (fixed.steady()[0]) {
      assertThat(admittedIn(fixed, 0)).as("fixed window, at least 98 %").isGreaterThanOrEqualTo((int) (0.98 * LIMIT));
    } else {
      unjudged.add("fixed-window");
    }

    Run sliding = slidingRun;
    for (int attempt = 2; attempt <= ATTEMPTS && (sliding == null || !sliding.steady()[1]); attempt++) {
      sliding = hammer("/sliding/x", 2, true, null);
      report("sliding-window (lower bound, attempt " + attempt + ")", sliding);
      assertThat(sliding.failed()).as("no request fails").containsOnly(0);
      slidingUpperBound(sliding);
    }
    if (sliding != null && sliding.steady()[1]) {
      assertThat(admittedIn(sliding, 1)).as("sliding window 1, at least 98 %").isGreaterThanOrEqualTo((int) (0.98 * LIMIT));
    } else {
      unjudged.add("sliding-window");
    }

    Run bucket = bucketRun;
    for (int attempt = 2; attempt <= ATTEMPTS && (bucket == null || !allSteady(bucket)); attempt++) {
      Thread.sleep(WINDOW); // the bucket refills to its burst between runs, as at the first
      bucket = hammer("/bucket/x", 2, false, null);
      report("token-bucket (lower bound, attempt " + attempt + ")", bucket);
      assertThat(bucket.failed()).as("no request fails").containsOnly(0);
      bucketUpperBound(bucket);
    }
    if (bucket != null && allSteady(bucket)) {
      System.out.printf("token-bucket: %d admitted of %.0f tokens (burst + refill over the run)%n",
          bucket.admitted().size(), offeredTokens(bucket));
      assertThat((double) bucket.admitted().size()).as("token bucket, at least 98 %% of the tokens")
          .isGreaterThanOrEqualTo(0.98 * offeredTokens(bucket));
    } else {
      unjudged.add("token-bucket");
    }
    // Visible in the report as skipped, never as passed: the machine could not offer steady load.
    Assumptions.assumeTrue(unjudged.isEmpty(),
        "no steady run in " + ATTEMPTS + " attempts for " + unjudged + "; the lower bound was not judged for them");
  }

  /** Runs last: it kills a node of the class's cluster. */
  @Test
  @Order(4)
  void fixedWindowHoldsTheLimitAndSurvivesASigkilledNodeMidWindow() throws Exception {
    // Window 0 on three nodes; node 0 (70 % of the load) is killed 40 % into window 1; window 2 on the two
    // survivors, which take its share as a load balancer would.
    Run r = hammer("/fixed/x", 3, true, new Kill(0, WINDOW + 2 * WINDOW / 5));
    report("fixed-window, node 0 SIGKILLed at 1.4 windows", r);
    System.out.printf("killed node: %d in flight at the kill, %d of them failed%n", r.inFlightAtKill(),
        r.failedInFlightOnKilled());
    assertThat(nodes.get(0).isAlive()).isFalse();
    assertThat(r.failed()[1] + r.failed()[2]).as("no request to a survivor fails").isZero();
    assertThat(r.failed()[0]).as("node 0 fails no request before its death").isZero();
    assertThat(r.failedInFlightOnKilled()).as("only requests in flight on the dead node fail")
        .isLessThanOrEqualTo(r.inFlightAtKill());
    for (int w = 0; w < 3; w++) {
      // Includes what node 0 admitted and answered before it died: the window's counter outlived it (backups),
      // so the survivors did not start the window afresh.
      assertThat(r.sure(w)).as("fixed window %d, admitted across the cluster", w).isLessThanOrEqualTo(LIMIT);
    }
    int deadAdmitted = (int) r.admitted().stream().filter(a -> a.node() == 0 && r.window(a.sent()) == 1).count();
    System.out.printf("kill window: node 0 admitted %d before dying, the survivors %d%n", deadAdmitted,
        r.sure(1) - deadAdmitted);
    // The survivors take the dead node's share: in the next window they admit as much as three nodes did.
    if (r.steady()[2]) {
      assertThat(admittedIn(r, 2)).as("window 2 on the two survivors, at least 98 %").isGreaterThanOrEqualTo((int) (0.98 * LIMIT));
    } else {
      System.out.printf("fixed-window window 2 on the survivors: not steady, lower bound not judged (%d admitted)%n",
          admittedIn(r, 2));
    }
  }
}
