// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.PolicyMeters;
import io.sluice.gateway.api.RouteUpstream;
import io.sluice.gateway.api.cluster.Cache;
import io.sluice.gateway.testkit.FakeExchange;
import io.sluice.gateway.testkit.PluginArchitecture;
import io.sluice.gateway.testkit.PolicyHarness;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Consumers and keys, with the test kit's exchange and cluster facade. */
class CachePolicyTest {

  private final PolicyHarness harness = new PolicyHarness();
  private final AtomicInteger upstream = new AtomicInteger();

  @AfterEach
  void close() {
    harness.close();
  }

  private Policy policy(Boolean keyConsumer, List<String> keyHeaders) {
    CacheConfig config = new CacheConfig(keyHeaders, null, null, keyConsumer, null, null, null, null, null, null,
        null, null, null, null, null, null);
    return new CachePolicyFactory().create(config, harness.context("cache"));
  }

  private FakeExchange call(Policy policy, String consumer, String cacheControl, String... headers) {
    FakeExchange ex = FakeExchange.request(HttpMethod.GET, "/me");
    for (int i = 0; i < headers.length; i += 2) {
      ex.header(headers[i], headers[i + 1]);
    }
    if (consumer != null) {
      ex.consumer(new Consumer(consumer, Set.of(), Set.of(), Map.of()));
    }
    harness.apply(policy, ex, () -> {
      upstream.incrementAndGet();
      ex.response().status(200);
      ex.response().headers().set("Cache-Control", cacheControl);
      String auth = ex.request().headers().get("Authorization");
      ex.response().body().set(Buffer.buffer("for " + consumer + (auth == null ? "" : " as " + auth)));
      return Future.succeededFuture();
    });
    return ex;
  }

  private static String body(FakeExchange ex) {
    return ex.response().body().content().toString();
  }

  @Test
  void consumersInTheKeyEachGetTheirOwnEntry() {
    Policy policy = policy(true, List.of());
    call(policy, "alice", "max-age=60");
    await().until(() -> body(call(policy, "alice", "max-age=60")).equals("for alice") && upstream.get() == 1);
    assertThat(body(call(policy, "bob", "max-age=60"))).isEqualTo("for bob");
    assertThat(upstream.get()).isEqualTo(2);
  }

  @Test
  void authenticatedResponsesAreNotSharedAcrossConsumersWithoutPublic() {
    // RFC 9111 §3.5, extended to consumers the gateway authenticated without Authorization (an API key)
    Policy policy = policy(false, List.of());
    FakeExchange first = call(policy, "alice", "max-age=60");
    assertThat(first.response().headers().get("Cache-Status")).isEqualTo("sluice; fwd=uri-miss; detail=authorization");
    assertThat(body(call(policy, "bob", "max-age=60"))).isEqualTo("for bob");
    assertThat(upstream.get()).isEqualTo(2);
    call(policy, "alice", "public, max-age=60");
    await().until(() -> call(policy, "bob", "public, max-age=60").response().headers().get("Cache-Status")
        .startsWith("sluice; hit"));
  }

  @Test
  void anAuthorizationStillOnTheRequestKeepsSection35EvenWithTheConsumerInTheKey() {
    // two users of one app (one api-key consumer) with their own bearer tokens: /me must not be shared
    Policy policy = policy(true, List.of());
    FakeExchange a = call(policy, "mobile-app", "max-age=60", "Authorization", "Bearer user-a");
    assertThat(a.response().headers().get("Cache-Status")).isEqualTo("sluice; fwd=uri-miss; detail=authorization");
    assertThat(body(call(policy, "mobile-app", "max-age=60", "Authorization", "Bearer user-b")))
        .isEqualTo("for mobile-app as Bearer user-b");
    assertThat(upstream.get()).isEqualTo(2);
    // a response that says it may be shared still is
    call(policy, "mobile-app", "public, max-age=60", "Authorization", "Bearer user-a");
    await().until(() -> call(policy, "mobile-app", "public, max-age=60", "Authorization", "Bearer user-b")
        .response().headers().get("Cache-Status").startsWith("sluice; hit"));
  }

  @Test
  void configuredHeadersArePartOfTheKey() {
    Policy policy = policy(false, List.of("X-Tenant"));
    call(policy, null, "max-age=60", "X-Tenant", "a");
    await().until(() -> call(policy, null, "max-age=60", "X-Tenant", "a").response().headers().get("Cache-Status")
        .startsWith("sluice; hit"));
    int before = upstream.get();
    call(policy, null, "max-age=60", "X-Tenant", "b");
    assertThat(upstream.get()).isEqualTo(before + 1);
  }

  @Test
  void noEntryIsKeptLongerThanThePurgeRulesThatCouldMarkIt() {
    // purge.ruleRetention caps the store's time-to-live, counted from the upstream request: a year's max-age is
    // kept for the rules' 1h, and a response whose request began 10 minutes ago for what is left of it
    List<Duration> ttls = new java.util.ArrayList<>();
    Cache store = harness.cluster().cache("responses");
    Cache recording = new Cache() {
      public Future<@Nullable Buffer> get(String key) {
        return store.get(key);
      }

      public Future<Void> put(String key, Buffer value, Duration ttl) {
        ttls.add(ttl);
        return store.put(key, value, ttl);
      }

      public Future<Void> invalidate(String key) {
        return store.invalidate(key);
      }
    };
    AtomicLong clock = new AtomicLong(1_000_000_000L);
    CacheConfig config = new CacheConfig(null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, new CacheConfig.Purge(Duration.ofHours(1)));
    Purges purges = new Purges(harness.cluster(), harness.context("cache").vertx(), clock::get, config.ruleRetention());
    Policy policy = new CachePolicy(config, recording, harness.context("cache").vertx(), clock::get, purges, "r");
    FakeExchange ex = FakeExchange.request(HttpMethod.GET, "/year");
    harness.apply(policy, ex, () -> {
      clock.addAndGet(Duration.ofMinutes(10).toMillis()); // the upstream answers 10 minutes after the request
      ex.response().status(200);
      ex.response().headers().set("Cache-Control", "max-age=31536000");
      ex.response().body().set(Buffer.buffer("forever"));
      return Future.succeededFuture();
    });
    await().until(() -> !ttls.isEmpty());
    assertThat(ttls).containsExactly(Duration.ofMinutes(50));
  }

  @Test
  void metersCountTheOutcomeEachAnswerWasGiven() {
    // the outcome is passed to where it is counted, not parsed back from Cache-Status
    Map<String, AtomicInteger> counts = new java.util.concurrent.ConcurrentHashMap<>();
    PolicyMeters meters = (name, description) -> amount -> counts.computeIfAbsent(name, n -> new AtomicInteger())
        .addAndGet((int) amount);
    AtomicLong clock = new AtomicLong(1_000_000_000L);
    CacheConfig config = new CacheConfig(null, null, null, null, null, null, null, null, null, "X-Skip", null, null,
        null, null, null, null);
    var vertx = harness.context("cache").vertx();
    Policy policy = new CachePolicy(config, harness.cluster().cache("responses"), vertx, clock::get,
        new Purges(harness.cluster(), vertx, clock::get), "r", meters, RouteUpstream.UNSUPPORTED);
    java.util.function.Function<String[], FakeExchange> get = headers -> {
      FakeExchange ex = FakeExchange.request(HttpMethod.GET, "/m");
      for (int i = 0; i < headers.length; i += 2) {
        ex.header(headers[i], headers[i + 1]);
      }
      harness.apply(policy, ex, () -> {
        upstream.incrementAndGet();
        ex.response().status(200);
        ex.response().headers().set("Cache-Control", "max-age=10, stale-while-revalidate=60").set("ETag", "\"e\"");
        ex.response().body().set(Buffer.buffer("m"));
        return Future.succeededFuture();
      });
      return ex;
    };
    get.apply(new String[0]);
    await().until(() -> get.apply(new String[0]).response().headers().get("Cache-Status").startsWith("sluice; hit"));
    get.apply(new String[] {"X-Skip", "1"});
    clock.addAndGet(20_000); // stale by 10 s, within stale-while-revalidate
    FakeExchange stale = get.apply(new String[0]);
    assertThat(stale.response().headers().get("Cache-Status"))
        .isEqualTo("sluice; hit; ttl=-10; detail=stale-while-revalidate");
    await().until(() -> counts.containsKey("background_revalidation_failures"));
    assertThat(counts.get("misses").get()).isGreaterThanOrEqualTo(1);
    assertThat(counts.get("hits").get()).isGreaterThanOrEqualTo(1);
    assertThat(counts.get("bypasses")).hasValue(1);
    assertThat(counts.get("stale")).hasValue(1);
    assertThat(counts.get("background_revalidations")).hasValue(1);
    assertThat(counts.get("background_revalidation_failures")).as("no upstream in this context").hasValue(1);
    assertThat(get.apply(new String[0]).response().headers().get("Cache-Status"))
        .as("the failed revalidation kept the entry").endsWith("detail=stale-while-revalidate");
  }

  @Test
  void usesOnlyThePluginApi() {
    PluginArchitecture.assertUsesOnlyThePluginApi("io.sluice.gateway.plugin.cache");
  }
}
