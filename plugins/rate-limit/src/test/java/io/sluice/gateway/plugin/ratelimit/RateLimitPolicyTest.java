// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.api.AttributeKey;
import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.config.DurationParser;
import io.sluice.gateway.plugin.ratelimit.RateLimitConfig.LimitConfig;
import io.sluice.gateway.testkit.FakeExchange;
import io.sluice.gateway.testkit.PluginArchitecture;
import io.sluice.gateway.testkit.PolicyHarness;
import io.sluice.gateway.testkit.TestChain;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The local algorithms, keys, several limits and headers, on an injected clock (no sleeping). */
class RateLimitPolicyTest {

  static final PolicyHarness harness = new PolicyHarness();

  /** A whole minute: windows of 1s, 1m and 1h all start here. */
  final AtomicLong clock = new AtomicLong(1_800_000_000_000L - 1_800_000_000_000L % 3_600_000);

  FakeExchange last;

  @AfterAll
  static void close() {
    harness.close();
  }

  static LimitConfig limit(long n, String window, String algorithm) {
    return new LimitConfig(n, DurationParser.parse(window), algorithm, null, null, null, null);
  }

  static RateLimitConfig config(List<LimitConfig> limits, String by, String header, String attribute, String missingKey) {
    return new RateLimitConfig(limits, null, null, null, null, by, header, attribute, missingKey, null, null, null);
  }

  Policy policy(RateLimitConfig config) {
    return RateLimitPolicyFactory.create(config, harness.context("rate-limit"), clock::get);
  }

  Policy route(long n, String window, String algorithm) {
    return policy(config(List.of(limit(n, window, algorithm)), "route", null, null, null));
  }

  boolean admitted(Policy policy) {
    return admitted(policy, FakeExchange.request(HttpMethod.GET, "/x"));
  }

  boolean admitted(Policy policy, FakeExchange exchange) {
    last = exchange;
    TestChain chain = TestChain.upstreamOk(exchange);
    harness.apply(policy, exchange, chain);
    if (chain.proceeded() == 0) {
      assertThat(exchange.rejection().status()).isEqualTo(429);
      assertThat(exchange.rejection().key()).isEqualTo("RATE_LIMIT_EXCEEDED");
    }
    return chain.proceeded() == 1;
  }

  int admittedOf(Policy policy, int requests) {
    int n = 0;
    for (int i = 0; i < requests; i++) {
      n += admitted(policy) ? 1 : 0;
    }
    return n;
  }

  MultiMap rejectionHeaders() {
    return last.rejection().headers();
  }

  @Test
  void fixedWindowAdmitsTheLimitPerWindowAndStartsAfreshAtTheEdge() {
    Policy p = route(3, "1s", "fixed-window");
    clock.addAndGet(900);
    assertThat(admittedOf(p, 5)).isEqualTo(3);
    assertThat(rejectionHeaders().get("Retry-After")).isEqualTo("1");
    clock.addAndGet(99);
    assertThat(admitted(p)).as("still the same window at 999 ms").isFalse();
    clock.addAndGet(1);
    assertThat(admittedOf(p, 5)).as("a new window at 1000 ms").isEqualTo(3);
  }

  @Test
  void slidingWindowWeighsThePreviousWindowSoThereIsNoEdgeBurst() {
    Policy p = route(10, "1m", "sliding-window");
    clock.addAndGet(59_000);
    assertThat(admittedOf(p, 20)).isEqualTo(10);
    clock.addAndGet(1_000); // the next window starts: previous = 10, weight 1
    assertThat(admitted(p)).as("a fixed window would admit 10 more here").isFalse();
    clock.addAndGet(30_000); // half way: 10 * 0.5 + current <= 10
    assertThat(admittedOf(p, 20)).isEqualTo(5);
    assertThat(Long.parseLong(rejectionHeaders().get("Retry-After"))).as("one more fits after 6 s").isEqualTo(6);
    clock.addAndGet(6_000);
    assertThat(admittedOf(p, 3)).isEqualTo(1);
    clock.addAndGet(120_000); // two windows later nothing weighs
    assertThat(admittedOf(p, 20)).isEqualTo(10);
  }

  @Test
  void tokenBucketAllowsItsBurstAndRefillsContinuously() {
    Policy p = policy(config(List.of(new LimitConfig(10, DurationParser.parse("1s"), "token-bucket", 20L, null, null, null)),
        "route", null, null, null));
    assertThat(admittedOf(p, 30)).as("the burst").isEqualTo(20);
    assertThat(rejectionHeaders().get("Retry-After")).isEqualTo("1");
    clock.addAndGet(100); // 10 per second: one token per 100 ms
    assertThat(admittedOf(p, 5)).isEqualTo(1);
    clock.addAndGet(450);
    assertThat(admittedOf(p, 10)).isEqualTo(4);
    clock.addAndGet(60_000);
    assertThat(admittedOf(p, 30)).as("never more than the burst").isEqualTo(20);
  }

  @Test
  void severalLimitsAdmitOnlyWhenAllAdmitAndCountOnlyAdmittedRequests() {
    // 5 per minute, then 1 per second: the per-second limit refuses most; the minute must not count those.
    Policy p = policy(config(List.of(limit(5, "1m", "fixed-window"), limit(1, "1s", "fixed-window")), "route", null, null, null));
    for (int second = 0; second < 5; second++) {
      assertThat(admittedOf(p, 10)).as("second %d", second).isEqualTo(1);
      clock.addAndGet(1_000);
    }
    assertThat(admittedOf(p, 10)).as("the minute's 5 are spent").isZero();
    assertThat(last.rejection().message()).isEqualTo("rate limit exceeded: 5 per 1m (fixed-window)");
    assertThat(Long.parseLong(rejectionHeaders().get("Retry-After"))).isEqualTo(55);
  }

  @Test
  void aRefusalTellsWhenTheBindingLimitAdmitsAgainNotTheFirstRefusingOne() {
    // 1 per second, then 2 per hour: the third request is refused by both; the second's limit comes first.
    Policy p = policy(config(List.of(limit(1, "1s", "fixed-window"), limit(2, "1h", "fixed-window")), "route", null, null, null));
    assertThat(admitted(p)).isTrue();
    clock.addAndGet(1_000);
    assertThat(admitted(p)).isTrue();
    assertThat(admitted(p)).isFalse();
    assertThat(Long.parseLong(rejectionHeaders().get("Retry-After"))).as("the hour's window, not the second's")
        .isEqualTo(3599);
    assertThat(last.rejection().message()).isEqualTo("rate limit exceeded: 2 per 1h (fixed-window)");
    assertThat(rejectionHeaders().get("RateLimit-Limit")).isEqualTo("2");
    assertThat(rejectionHeaders().get("RateLimit-Reset")).isEqualTo("3599");
    clock.addAndGet(1_000);
    assertThat(admitted(p)).as("the hour's 2 stay spent").isFalse();
  }

  @Test
  void reportsTheMostRestrictiveLimitOnEveryResponse() {
    Policy p = policy(config(List.of(limit(100, "1m", "fixed-window"), limit(3, "1s", "fixed-window")), "route", null, null, null));
    clock.addAndGet(400);
    assertThat(admitted(p)).isTrue();
    MultiMap h = last.response().headers();
    assertThat(h.get("RateLimit-Limit")).isEqualTo("3");
    assertThat(h.get("RateLimit-Remaining")).isEqualTo("2");
    assertThat(h.get("RateLimit-Reset")).isEqualTo("1");
    admittedOf(p, 3);
    MultiMap refused = rejectionHeaders();
    assertThat(refused.get("RateLimit-Limit")).isEqualTo("3");
    assertThat(refused.get("RateLimit-Remaining")).isEqualTo("0");
    assertThat(refused.get("RateLimit-Reset")).isEqualTo("1");
    assertThat(refused.get("Retry-After")).isEqualTo("1");
    for (int i = 0; i < 32; i++) {
      clock.addAndGet(1_000);
      assertThat(admittedOf(p, 3)).isEqualTo(3);
    }
    clock.addAndGet(1_000); // 33.4 s into the minute, 99 of its 100 spent
    assertThat(admitted(p)).isTrue();
    assertThat(last.response().headers().get("RateLimit-Limit")).as("now the minute has fewer left").isEqualTo("100");
    assertThat(last.response().headers().get("RateLimit-Remaining")).isEqualTo("0");
    assertThat(last.response().headers().get("RateLimit-Reset")).isEqualTo("27");
    assertThat(admitted(p)).isFalse();
    assertThat(rejectionHeaders().get("Retry-After")).isEqualTo("27");
  }

  @Test
  void headersCanBeTurnedOffButRetryAfterStays() {
    Policy p = policy(new RateLimitConfig(null, 1L, DurationParser.parse("1m"), null, null, "route", null, null, null, null, null, false));
    assertThat(admitted(p)).isTrue();
    assertThat(last.response().headers().contains("RateLimit-Limit")).isFalse();
    assertThat(admitted(p)).isFalse();
    assertThat(rejectionHeaders().get("Retry-After")).isEqualTo("60");
    assertThat(rejectionHeaders().contains("RateLimit-Remaining")).isFalse();
  }

  @Test
  void countsPerConsumer() {
    Policy p = policy(config(List.of(limit(2, "1m", null)), "consumer", null, null, null));
    FakeExchange alice = FakeExchange.request(HttpMethod.GET, "/x");
    alice.consumer(Consumer.of("alice"));
    assertThat(admitted(p, alice)).isTrue();
    for (String who : List.of("alice", "bob", "bob")) {
      FakeExchange e = FakeExchange.request(HttpMethod.GET, "/x");
      e.consumer(Consumer.of(who));
      assertThat(admitted(p, e)).as(who).isTrue();
    }
    FakeExchange again = FakeExchange.request(HttpMethod.GET, "/x");
    again.consumer(Consumer.of("alice"));
    assertThat(admitted(p, again)).isFalse();
  }

  @Test
  void countsPerClientAddressBehindTrustedProxies() {
    Policy p = policy(config(List.of(limit(1, "1m", null)), "ip", null, null, null));
    assertThat(admitted(p, FakeExchange.request(HttpMethod.GET, "/x").remoteAddress("10.0.0.1").clientAddress("203.0.113.5"))).isTrue();
    assertThat(admitted(p, FakeExchange.request(HttpMethod.GET, "/x").remoteAddress("10.0.0.1").clientAddress("203.0.113.6")))
        .as("another client behind the same proxy").isTrue();
    assertThat(admitted(p, FakeExchange.request(HttpMethod.GET, "/x").remoteAddress("10.0.0.2").clientAddress("203.0.113.5")))
        .as("the same client through another proxy").isFalse();
  }

  @Test
  void countsPerHeaderAndRequestsWithoutItShareOneCounterByDefault() {
    Policy p = policy(config(List.of(limit(1, "1m", null)), "header", "X-Tenant", null, null));
    assertThat(admitted(p, FakeExchange.request(HttpMethod.GET, "/x").header("X-Tenant", "a"))).isTrue();
    assertThat(admitted(p, FakeExchange.request(HttpMethod.GET, "/x").header("X-Tenant", "b"))).isTrue();
    assertThat(admitted(p, FakeExchange.request(HttpMethod.GET, "/x").header("X-Tenant", "a"))).isFalse();
    assertThat(admitted(p, FakeExchange.request(HttpMethod.GET, "/x"))).isTrue();
    assertThat(admitted(p, FakeExchange.request(HttpMethod.GET, "/x"))).as("leaving the header out escapes nothing").isFalse();
  }

  @Test
  void requestsWithoutAKeySkipTheLimitWhenConfiguredSo() {
    Policy p = policy(config(List.of(limit(1, "1m", null), limit(3, "1m", "fixed-window")
        .inherit("route", null, null, null)), "header", "X-Tenant", null, "skip"));
    assertThat(admittedOf(p, 5)).as("only the route limit applies to them").isEqualTo(3);
  }

  @Test
  void countsPerAttributeAPolicySetBefore() {
    AttributeKey<String> tenant = AttributeKey.of("tenant", String.class);
    Policy p = policy(config(List.of(limit(1, "1m", null)), "attribute", null, "tenant", null));
    FakeExchange a = FakeExchange.request(HttpMethod.GET, "/x");
    a.put(tenant, "acme");
    FakeExchange b = FakeExchange.request(HttpMethod.GET, "/x");
    b.put(AttributeKey.of("tenant", Long.class), 42L); // a JS policy stores numbers as Long
    FakeExchange c = FakeExchange.request(HttpMethod.GET, "/x");
    c.put(tenant, "acme");
    assertThat(admitted(p, a)).isTrue();
    assertThat(admitted(p, b)).isTrue();
    assertThat(admitted(p, c)).isFalse();
  }

  @Test
  void limitsCanCountPerDifferentKeys() {
    // 2 per minute per consumer, and 3 per minute for the whole route.
    Policy p = policy(config(List.of(limit(2, "1m", null), new LimitConfig(3, DurationParser.parse("1m"), null, null, "route", null, null)),
        "consumer", null, null, null));
    int admitted = 0;
    for (String who : List.of("a", "a", "a", "b", "b", "c")) {
      FakeExchange e = FakeExchange.request(HttpMethod.GET, "/x");
      e.consumer(Consumer.of(who));
      admitted += admitted(p, e) ? 1 : 0;
    }
    assertThat(admitted).isEqualTo(3);
  }

  @Test
  void forgetsIdleKeys() {
    RateLimitPolicy p = (RateLimitPolicy) policy(config(List.of(limit(5, "1s", null)), "header", "X-K", null, null));
    for (int i = 0; i < 100; i++) {
      admitted(p, FakeExchange.request(HttpMethod.GET, "/x").header("X-K", "k" + i));
    }
    assertThat(p.limit(0).keys()).isEqualTo(100);
    clock.addAndGet(2_000);
    admitted(p, FakeExchange.request(HttpMethod.GET, "/x").header("X-K", "fresh"));
    assertThat(p.limit(0).keys()).isEqualTo(1);
  }

  @Test
  void keysPastMaxKeysShareOneOverflowCounterAndMemoryStaysBounded() {
    RateLimitPolicy p = (RateLimitPolicy) policy(new RateLimitConfig(List.of(limit(1, "1m", null)), null, null, null,
        null, "header", "X-K", null, null, null, null, null, 3));
    for (int i = 0; i < 3; i++) {
      assertThat(admitted(p, FakeExchange.request(HttpMethod.GET, "/x").header("X-K", "k" + i))).isTrue();
    }
    assertThat(admitted(p, FakeExchange.request(HttpMethod.GET, "/x").header("X-K", "new-1")))
        .as("the first newcomer spends the overflow counter").isTrue();
    for (int i = 0; i < 1000; i++) {
      assertThat(admitted(p, FakeExchange.request(HttpMethod.GET, "/x").header("X-K", "invented-" + i)))
          .as("invented keys are limited together").isFalse();
    }
    assertThat(admitted(p, FakeExchange.request(HttpMethod.GET, "/x").header("X-K", "k0"))).isFalse();
    assertThat(p.limit(0).keys()).isEqualTo(4);
    clock.addAndGet(300_000); // idle keys go: new keys get their own counters again
    assertThat(admitted(p, FakeExchange.request(HttpMethod.GET, "/x").header("X-K", "later"))).isTrue();
    assertThat(admitted(p, FakeExchange.request(HttpMethod.GET, "/x").header("X-K", "later-2"))).isTrue();
  }

  @Test
  void isExactAcrossEventLoops() throws Exception {
    Policy p = route(1_000, "1h", "sliding-window");
    int threads = 4;
    int each = 600;
    java.util.concurrent.atomic.AtomicInteger admitted = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      new Thread(() -> {
        for (int i = 0; i < each; i++) {
          FakeExchange e = FakeExchange.request(HttpMethod.GET, "/x");
          TestChain chain = TestChain.upstreamOk(e);
          p.apply(e, chain);
          admitted.addAndGet(chain.proceeded());
        }
        done.countDown();
      }).start();
    }
    done.await();
    assertThat(admitted.get()).isEqualTo(1_000);
  }

  @Test
  void aReusedDecisionKeepsEachRequestsOwnHeadersWhenTheSamePolicyRunsInsideItsChain() {
    Policy p = policy(config(List.of(limit(5, "1m", null)), "header", "X-Tenant", null, null));
    FakeExchange outer = FakeExchange.request(HttpMethod.GET, "/x");
    outer.request().headers().set("X-Tenant", "a");
    FakeExchange inner = FakeExchange.request(HttpMethod.GET, "/x");
    inner.request().headers().set("X-Tenant", "b");
    for (int i = 0; i < 3; i++) { // b has 2 left after the next one
      admitted(p, copyOf(inner));
    }
    // The outer request's chain runs the same policy (same thread, same reused decision) for another key.
    Policy.Chain chain = () -> {
      p.apply(inner, TestChain.upstreamOk(inner));
      return io.vertx.core.Future.succeededFuture();
    };
    p.apply(outer, chain);
    assertThat(outer.response().headers().get("RateLimit-Remaining")).as("a's own count").isEqualTo("4");
    assertThat(inner.response().headers().get("RateLimit-Remaining")).as("b's own count").isEqualTo("1");
  }

  static FakeExchange copyOf(FakeExchange e) {
    FakeExchange c = FakeExchange.request(HttpMethod.GET, "/x");
    c.request().headers().setAll(e.request().headers());
    return c;
  }

  @Test
  void usesOnlyThePluginApi() {
    PluginArchitecture.assertUsesOnlyThePluginApi("io.sluice.gateway.plugin.ratelimit");
  }
}
