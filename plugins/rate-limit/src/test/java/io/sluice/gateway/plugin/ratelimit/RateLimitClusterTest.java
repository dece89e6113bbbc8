// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.cluster.Budget;
import io.sluice.gateway.api.cluster.ClusterServices;
import io.sluice.gateway.api.cluster.Counters;
import io.sluice.gateway.api.cluster.Grant;
import io.sluice.gateway.api.config.DurationParser;
import io.sluice.gateway.plugin.ratelimit.RateLimitConfig.LimitConfig;
import io.sluice.gateway.testkit.FakeExchange;
import io.sluice.gateway.testkit.InMemoryClusterServices;
import io.sluice.gateway.testkit.TestChain;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Cluster scope in one process: three "nodes" (three policy instances, each on its own Vert.x event loop)
 * share one cluster facade, take with an asynchronous answer (one event-loop turn later, as a remote call
 * would), and get skewed load (70/20/10 %) on an injected clock over several windows.
 */
class RateLimitClusterTest {

  static final double[] SKEW = {0.7, 0.2, 0.1};

  final Vertx vertx = Vertx.vertx();
  final AtomicLong clock = new AtomicLong(1_800_000_000_000L - 1_800_000_000_000L % 3_600_000);

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /** {@code counters} answered one event-loop turn later on the caller's context, as a remote call is. */
  Counters async(Counters counters, AtomicInteger takes) {
    return new Counters() {
      @Override
      public Future<Long> addAndGet(String key, long delta, Duration ttl) {
        return counters.addAndGet(key, delta, ttl);
      }

      @Override
      public Future<Grant> take(String key, long wanted, Budget budget) {
        takes.incrementAndGet();
        Context ctx = Vertx.currentContext();
        Promise<Grant> p = Promise.promise();
        ctx.runOnContext(v -> counters.take(key, wanted, budget).onComplete(p));
        return p.future();
      }
    };
  }

  final class Node {
    final Context context = vertx.getOrCreateContext();
    final Policy policy;

    Node(RateLimitConfig config, ClusterServices cluster, LongSupplier time) {
      TestContext ctx = new TestContext(vertx, cluster, "orders");
      policy = RateLimitPolicyFactory.create(config, ctx, time);
    }

    /** Sends {@code n} requests on this node's event loop; counts the admitted ones when they complete. */
    void send(int n, AtomicInteger admitted, AtomicInteger refused, CountDownLatch done) {
      context.runOnContext(v -> {
        for (int i = 0; i < n; i++) {
          FakeExchange e = FakeExchange.request(HttpMethod.GET, "/orders");
          TestChain chain = TestChain.upstreamOk(e);
          policy.apply(e, chain).onComplete(ar -> {
            if (ar.succeeded() && chain.proceeded() == 1) {
              admitted.incrementAndGet();
            } else if (ar.succeeded() && e.rejection() != null && e.rejection().status() == 429) {
              refused.incrementAndGet();
            }
            done.countDown();
          });
        }
      });
    }
  }

  List<Node> nodes(RateLimitConfig config, ClusterServices cluster) {
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      nodes.add(new Node(config, cluster, clock::get));
    }
    assertThat(nodes.get(0).context).isNotSameAs(nodes.get(1).context);
    return nodes;
  }

  static RateLimitConfig cluster(LimitConfig limit) {
    return new RateLimitConfig(List.of(limit), null, null, null, null, "route", null, null, null, "cluster", null, null);
  }

  /**
   * Offers {@code perStep} requests per step across the nodes with the skew, for {@code steps} steps of
   * {@code stepMillis}; returns the admitted count of each step.
   */
  int[] run(List<Node> nodes, double perStep, int steps, long stepMillis) throws InterruptedException {
    int[] admittedPerStep = new int[steps];
    double[] owed = new double[nodes.size()];
    for (int s = 0; s < steps; s++) {
      int[] n = new int[nodes.size()];
      int total = 0;
      for (int i = 0; i < nodes.size(); i++) {
        owed[i] += perStep * SKEW[i];
        n[i] = (int) owed[i];
        owed[i] -= n[i];
        total += n[i];
      }
      AtomicInteger admitted = new AtomicInteger();
      AtomicInteger refused = new AtomicInteger();
      CountDownLatch done = new CountDownLatch(total);
      for (int i = 0; i < nodes.size(); i++) {
        nodes.get(i).send(n[i], admitted, refused, done);
      }
      assertThat(done.await(10, TimeUnit.SECONDS)).as("every request of step %d completes", s).isTrue();
      assertThat(admitted.get() + refused.get()).as("each is admitted or refused with 429").isEqualTo(total);
      admittedPerStep[s] = admitted.get();
      clock.addAndGet(stepMillis);
    }
    return admittedPerStep;
  }

  static int[] perWindow(int[] perStep, int stepsPerWindow) {
    int[] w = new int[perStep.length / stepsPerWindow];
    for (int s = 0; s < perStep.length; s++) {
      w[s / stepsPerWindow] += perStep[s];
    }
    return w;
  }

  @Test
  void fixedWindowAdmitsAtMostTheLimitPerWindowAcrossNodesAndAtLeast98Percent() throws Exception {
    AtomicInteger takes = new AtomicInteger();
    InMemoryClusterServices shared = new InMemoryClusterServices();
    ClusterServices cluster = TestContext.withCounters(async(shared.namespaced("rate-limit").counters(), takes));
    List<Node> nodes = nodes(cluster(new LimitConfig(10_000, Duration.ofMinutes(1), "fixed-window", null, null, null, null)), cluster);
    int requests = 0;
    for (double offered : new double[] {3.0, 1.1}) {
      requests += (int) (4 * 10_000 * offered);
      int[] windows = perWindow(run(nodes, 10_000 * offered / 1_000, 4_000, 60), 1_000);
      System.out.printf("fixed-window cluster, offered %.1fx: admitted per window %s, takes so far %d%n", offered,
          java.util.Arrays.toString(windows), takes.get());
      for (int w = 0; w < windows.length; w++) {
        assertThat(windows[w]).as("offered %.1fx, window %d", offered, w).isLessThanOrEqualTo(10_000).isGreaterThanOrEqualTo(9_800);
      }
    }
    assertThat(takes.get()).as("leases, not a take per request (%d requests)", requests).isLessThan(requests / 20);
  }

  @Test
  void slidingWindowKeepsTheWeightedEstimateWithinTheLimitAcrossNodes() throws Exception {
    AtomicInteger takes = new AtomicInteger();
    InMemoryClusterServices shared = new InMemoryClusterServices();
    ClusterServices cluster = TestContext.withCounters(async(shared.namespaced("rate-limit").counters(), takes));
    List<Node> nodes = nodes(cluster(new LimitConfig(1_000, Duration.ofMinutes(1), "sliding-window", null, null, null, null)), cluster);
    int steps = 100;
    int[] perStep = run(nodes, 30, steps * 5, 600);
    int[] windows = perWindow(perStep, steps);
    System.out.printf("sliding-window cluster, offered 3x: admitted per window %s, takes %d%n",
        java.util.Arrays.toString(windows), takes.get());
    for (int w = 0; w < windows.length; w++) {
      assertThat(windows[w]).as("window %d", w).isLessThanOrEqualTo(1_000);
      if (w > 0) {
        assertThat(windows[w]).as("window %d, in steady overload", w).isGreaterThanOrEqualTo(980);
      }
    }
    for (int w = 1; w < windows.length; w++) {
      int current = 0;
      for (int s = 0; s < steps; s++) {
        current += perStep[w * steps + s];
        // requests of step s were decided at elapsed = s * 600 ms
        double estimate = windows[w - 1] * (1 - s / (double) steps) + current;
        assertThat(estimate).as("estimate in window %d at step %d", w, s).isLessThanOrEqualTo(1_000 + 1e-6);
      }
    }
  }

  @Test
  void tokenBucketAdmitsAtMostTheBurstPlusTheRefillAcrossNodes() throws Exception {
    ClockedCounters counters = new ClockedCounters(clock::get);
    ClusterServices cluster = TestContext.withCounters(async(counters, new AtomicInteger()));
    List<Node> nodes = nodes(cluster(new LimitConfig(100, Duration.ofSeconds(1), "token-bucket", 50L, null, null, null)), cluster);
    int steps = 1_000; // 10 s in steps of 10 ms, offering 300/s
    int[] perStep = run(nodes, 3, steps, 10);
    long admitted = 0;
    for (int s = 0; s < steps; s++) {
      admitted += perStep[s];
      long allowed = 50 + (long) Math.floor(s * 10 * 100 / 1000.0);
      assertThat(admitted).as("admitted by step %d", s).isLessThanOrEqualTo(allowed);
    }
    long bound = 50 + (steps - 1) * 10 * 100 / 1000;
    System.out.printf("token-bucket cluster, offered 3x: admitted %d of a bound of %d, takes %d for %d requests%n", admitted,
        bound, counters.takes.get(), steps * 3);
    assertThat(admitted).isGreaterThanOrEqualTo((long) (0.98 * bound));
  }

  @Test
  void givesAnIdleLeaseBack() throws Exception {
    ClockedCounters counters = new ClockedCounters(clock::get);
    ClusterServices cluster = TestContext.withCounters(counters);
    RateLimitPolicy p = RateLimitPolicyFactory.create(
        cluster(new LimitConfig(1_000, Duration.ofHours(1), "fixed-window", null, null, null, null)),
        new TestContext(vertx, cluster, "orders"), clock::get);
    CountDownLatch done = new CountDownLatch(200);
    AtomicInteger admitted = new AtomicInteger();
    Context ctx = vertx.getOrCreateContext();
    ctx.runOnContext(v -> {
      for (int i = 0; i < 200; i++) {
        FakeExchange e = FakeExchange.request(HttpMethod.GET, "/orders");
        TestChain chain = TestChain.upstreamOk(e);
        p.apply(e, chain).onComplete(ar -> {
          admitted.addAndGet(chain.proceeded());
          done.countDown();
        });
        if (i % 20 == 0) {
          clock.addAndGet(20);
        }
      }
    });
    assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(admitted.get()).isEqualTo(200);
    LeaseSlot slot = (LeaseSlot) p.limit(0).slots().iterator().next();
    assertThat(slot.leased()).as("the lease outran the demand a little").isPositive();
    long granted = counters.granted.get();
    clock.addAndGet(LeaseSlot.IDLE_MILLIS);
    CountDownLatch checked = new CountDownLatch(1);
    ctx.runOnContext(v -> {
      slot.idleCheck();
      checked.countDown();
    });
    assertThat(checked.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(slot.leased()).isZero();
    assertThat(counters.granted.get()).as("the cluster counts only what was admitted").isEqualTo(200);
    assertThat(granted).isGreaterThan(200);
  }

  @Test
  void failsOpenByDefaultAndSaysSoOnceAndOnceWhenTheClusterIsBack() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(ClusterLink.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    logger.addAppender(logged);
    try {
      ClockedCounters counters = new ClockedCounters(clock::get);
      counters.failing = true;
      Node node = new Node(cluster(new LimitConfig(5, Duration.ofMinutes(1), "fixed-window", null, null, null, null)),
          TestContext.withCounters(counters), clock::get);
      AtomicInteger admitted = new AtomicInteger();
      CountDownLatch done = new CountDownLatch(50);
      node.send(50, admitted, new AtomicInteger(), done);
      assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(admitted.get()).as("fail open: everything through").isEqualTo(50);
      assertThat(counters.takes.get()).as("no take per request while the cluster is down").isEqualTo(1);
      clock.addAndGet(ClusterLink.RETRY_AFTER_FAILURE_MILLIS);
      counters.failing = false;
      AtomicInteger after = new AtomicInteger();
      CountDownLatch done2 = new CountDownLatch(10);
      node.send(10, after, new AtomicInteger(), done2);
      assertThat(done2.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(after.get()).as("limited again").isEqualTo(5);
      assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage).hasSize(2)
          .satisfiesExactly(
              m -> assertThat(m).contains("route 'orders'").contains("cannot be reached").contains("failOpen"),
              m -> assertThat(m).contains("answer again"));
    } finally {
      logger.detachAppender(logged);
    }
  }

  @Test
  void failsClosedWith503WhenAsked() throws Exception {
    ClockedCounters counters = new ClockedCounters(clock::get);
    counters.failing = true;
    RateLimitConfig config = new RateLimitConfig(null, 5L, DurationParser.parse("1m"), null, null, "route", null, null, null,
        "cluster", false, null);
    RateLimitPolicy p = RateLimitPolicyFactory.create(config, new TestContext(vertx, TestContext.withCounters(counters), "orders"), clock::get);
    List<FakeExchange> exchanges = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(3);
    vertx.getOrCreateContext().runOnContext(v -> {
      for (int i = 0; i < 3; i++) {
        FakeExchange e = FakeExchange.request(HttpMethod.GET, "/orders");
        exchanges.add(e);
        p.apply(e, TestChain.upstreamOk(e)).onComplete(ar -> done.countDown());
      }
    });
    assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    for (FakeExchange e : exchanges) {
      assertThat(e.rejection().status()).isEqualTo(503);
      assertThat(e.rejection().key()).isEqualTo("RATE_LIMIT_UNAVAILABLE");
      assertThat(e.rejection().headers().get("Retry-After")).isEqualTo("1");
    }
  }

  /** The plugin's meters: a 429 counts as {@code rejected}, a 503 for an unreachable cluster as {@code unavailable}. */
  @Test
  void countsRejectedAndUnavailableRequests() throws Exception {
    java.util.Map<String, AtomicInteger> counts = new java.util.concurrent.ConcurrentHashMap<>();
    io.sluice.gateway.api.PolicyMeters meters = (name, description) -> amount ->
        counts.computeIfAbsent(name, n -> new AtomicInteger()).addAndGet((int) amount);
    ClockedCounters counters = new ClockedCounters(clock::get);
    RateLimitPolicy local = RateLimitPolicyFactory.create(new RateLimitConfig(null, 2L, DurationParser.parse("1m"), null,
        null, "route", null, null, null, "local", null, null), new TestContext(vertx, TestContext.withCounters(counters),
        "orders", meters), clock::get);
    ClockedCounters down = new ClockedCounters(clock::get);
    down.failing = true;
    RateLimitPolicy cluster = RateLimitPolicyFactory.create(new RateLimitConfig(null, 5L, DurationParser.parse("1m"), null,
        null, "route", null, null, null, "cluster", false, null), new TestContext(vertx, TestContext.withCounters(down),
        "orders", meters), clock::get);
    List<FakeExchange> exchanges = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(7);
    vertx.getOrCreateContext().runOnContext(v -> {
      for (int i = 0; i < 7; i++) {
        FakeExchange e = FakeExchange.request(HttpMethod.GET, "/orders");
        exchanges.add(e);
        (i < 5 ? local : cluster).apply(e, TestChain.upstreamOk(e)).onComplete(ar -> done.countDown());
      }
    });
    assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(exchanges.stream().filter(e -> e.rejection() != null && e.rejection().status() == 429)).hasSize(3);
    assertThat(counts.get("rejected")).hasValue(3);
    assertThat(counts.get("unavailable")).hasValue(2);
  }

  /** Takes that the test answers by hand, on the caller's context, to hold a refill in flight. */
  static final class HeldCounters implements Counters {
    record Pending(String key, long wanted, Budget budget, Promise<Grant> promise, Context context) {}

    final Counters inner;
    final java.util.concurrent.ConcurrentLinkedQueue<Pending> pending = new java.util.concurrent.ConcurrentLinkedQueue<>();
    final AtomicInteger takes = new AtomicInteger();

    HeldCounters(Counters inner) {
      this.inner = inner;
    }

    @Override
    public Future<Long> addAndGet(String key, long delta, Duration ttl) {
      return inner.addAndGet(key, delta, ttl);
    }

    @Override
    public Future<Grant> take(String key, long wanted, Budget budget) {
      takes.incrementAndGet();
      Promise<Grant> p = Promise.promise();
      pending.add(new Pending(key, wanted, budget, p, Vertx.currentContext()));
      return p.future();
    }

    /** Answers every take asked so far; returns how many. */
    int answer() {
      int n = 0;
      for (Pending t; (t = pending.poll()) != null; n++) {
        Pending taken = t;
        taken.context().runOnContext(v -> inner.take(taken.key(), taken.wanted(), taken.budget()).onComplete(taken.promise()));
      }
      return n;
    }
  }

  @Test
  void requestsThatFindTheLeaseEmptyWaitForTheRefillInFlightInsteadOfTakingMore() throws Exception {
    HeldCounters counters = new HeldCounters(new ClockedCounters(clock::get));
    Node node = new Node(cluster(new LimitConfig(1_000, Duration.ofMinutes(1), "fixed-window", null, null, null, null)),
        TestContext.withCounters(counters), clock::get);
    AtomicInteger admitted = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(50);
    node.send(50, admitted, new AtomicInteger(), done);
    org.awaitility.Awaitility.await().until(() -> counters.pending.size() == 1);
    CountDownLatch turn = new CountDownLatch(1);
    node.context.runOnContext(v -> turn.countDown());
    assertThat(turn.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(counters.takes.get()).as("50 requests, one take in flight").isEqualTo(1);
    assertThat(done.getCount()).as("all of them wait").isEqualTo(50);
    while (!done.await(10, TimeUnit.MILLISECONDS)) {
      counters.answer();
    }
    assertThat(admitted.get()).isEqualTo(50);
    assertThat(counters.takes.get()).as("the waiters' demand is asked for in one batch").isLessThanOrEqualTo(3);
  }

  @Test
  void severalClusterLimitsSpendNothingFromTheOthersOnARefusal() throws Exception {
    ClockedCounters counters = new ClockedCounters(clock::get);
    ClusterServices cluster = TestContext.withCounters(counters);
    RateLimitConfig config = new RateLimitConfig(List.of(
        new LimitConfig(100, Duration.ofHours(1), null, null, null, null, null),
        new LimitConfig(2, Duration.ofHours(1), null, null, null, null, null)),
        null, null, null, null, "route", null, null, null, "cluster", null, null);
    RateLimitPolicy p = RateLimitPolicyFactory.create(config, new TestContext(vertx, cluster, "orders"), clock::get);
    List<FakeExchange> exchanges = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(10);
    AtomicInteger admitted = new AtomicInteger();
    vertx.getOrCreateContext().runOnContext(v -> {
      for (int i = 0; i < 10; i++) {
        FakeExchange e = FakeExchange.request(HttpMethod.GET, "/orders");
        exchanges.add(e);
        TestChain chain = TestChain.upstreamOk(e);
        p.apply(e, chain).onComplete(ar -> {
          admitted.addAndGet(chain.proceeded());
          done.countDown();
        });
      }
    });
    assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(admitted.get()).isEqualTo(2);
    LeaseSlot first = (LeaseSlot) p.limit(0).slots().iterator().next();
    long grantedToFirst = counters.granted.get() - 2;
    assertThat(first.leased()).as("the first limit spent a unit for each admitted request only").isEqualTo(grantedToFirst - 2);
    assertThat(exchanges.get(0).response().headers().get("RateLimit-Limit")).isEqualTo("2");
    assertThat(exchanges.get(1).response().headers().get("RateLimit-Remaining")).isEqualTo("0");
    FakeExchange refused = exchanges.get(9);
    assertThat(refused.rejection().status()).isEqualTo(429);
    assertThat(refused.rejection().headers().get("Retry-After")).isEqualTo("3600");
  }

  @Test
  void takesThatDoNotAnswerInARowCountAsAFailureAfterTheirTimeouts() throws Exception {
    HeldCounters counters = new HeldCounters(new ClockedCounters(clock::get));
    Node node = new Node(cluster(new LimitConfig(1_000, Duration.ofMinutes(1), "fixed-window", null, null, null, null)),
        TestContext.withCounters(counters), clock::get);
    AtomicInteger admitted = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(20);
    node.send(20, admitted, new AtomicInteger(), done);
    assertThat(done.await(10, TimeUnit.SECONDS)).as("decided once the takes timed out, without their answers").isTrue();
    assertThat(admitted.get()).as("failOpen").isEqualTo(20);
    assertThat(counters.takes.get()).as("asked again once before the link is down")
        .isEqualTo(ClusterLink.TIMEOUTS_BEFORE_DOWN);
    assertThat(counters.answer()).as("the late answers are still applied").isEqualTo(ClusterLink.TIMEOUTS_BEFORE_DOWN);
  }

  @Test
  void oneSlowTakeIsNoOutageAndAdmitsNothingWithoutUnits() throws Exception {
    ClockedCounters inner = new ClockedCounters(clock::get);
    HeldCounters counters = new HeldCounters(inner);
    Node node = new Node(cluster(new LimitConfig(1_000, Duration.ofMinutes(1), "fixed-window", null, null, null, null)),
        TestContext.withCounters(counters), clock::get);
    AtomicInteger admitted = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(20);
    node.send(20, admitted, new AtomicInteger(), done);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> counters.pending.size() == 2);
    assertThat(done.getCount()).as("after one timeout the requests still wait, for the take asked again")
        .isEqualTo(20);
    while (!done.await(10, TimeUnit.MILLISECONDS)) {
      counters.answer();
    }
    assertThat(admitted.get()).isEqualTo(20);
    assertThat(inner.granted.get()).as("every admission spent a unit").isGreaterThanOrEqualTo(20);
  }
}
