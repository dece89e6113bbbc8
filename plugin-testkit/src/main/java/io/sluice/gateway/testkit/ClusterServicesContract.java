// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.gateway.api.cluster.Budget;
import io.sluice.gateway.api.cluster.Cache;
import io.sluice.gateway.api.cluster.ClusterServices;
import io.sluice.gateway.api.cluster.Counters;
import io.sluice.gateway.api.cluster.Grant;
import io.sluice.gateway.api.cluster.KeyValueStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every implementation of {@link ClusterServices} passes: extend it in a test of the
 * implementation and say how to create one. Every operation here is called on a Vert.x event loop and
 * checked to complete on that same context; time-to-lives are short ({@link #shortTtl()}) and expiry is
 * awaited, never slept for.
 *
 * <pre>{@code
 * class HazelcastClusterServicesContractTest extends ClusterServicesContract {
 *   protected ClusterServices services(Vertx vertx, String namespace) { return backend.namespaced(namespace); }
 *   protected int cacheBound() { return 100; }
 * }
 * }</pre>
 */
public abstract class ClusterServicesContract {

  /** A value type of a plugin's own, which other nodes could not read. */
  public record PluginValue(String text) {}

  private @Nullable Vertx vertx;

  /**
   * The implementation under test, for one namespace (a policy type). Each test asks for fresh namespaces,
   * so a shared implementation needs no cleaning between tests; two calls with the same namespace must see
   * the same data.
   */
  protected abstract ClusterServices services(Vertx vertx, String namespace);

  /** The most entries the implementation's caches hold (the bound it was created with in this test). */
  protected abstract int cacheBound();

  /** The time-to-live used for expiry tests; longer for implementations that round up to seconds. */
  protected Duration shortTtl() {
    return Duration.ofMillis(200);
  }

  /** How long expiry may take beyond the time-to-live. */
  protected Duration expiryGrace() {
    return Duration.ofSeconds(5);
  }

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void closeVertx() throws Exception {
    vertx().close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private Vertx vertx() {
    if (vertx == null) {
      throw new IllegalStateException("the contract's Vert.x is not running");
    }
    return vertx;
  }

  private ClusterServices fresh() {
    return services(vertx(), "contract-" + UUID.randomUUID());
  }

  private static String key() {
    return "k-" + UUID.randomUUID();
  }

  private static final Duration MINUTE = Duration.ofMinutes(1);

  /**
   * Runs {@code operation} on a new event-loop context and returns its result, failing when the future
   * completes on another context (or thread) than the one that called.
   */
  protected final <T> @Nullable T call(Supplier<Future<T>> operation) {
    return callOn(vertx().getOrCreateContext(), operation);
  }

  private static <T> @Nullable T callOn(Context context, Supplier<Future<T>> operation) {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> {
      Future<T> f;
      try {
        f = operation.get();
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
        return;
      }
      f.onComplete(ar -> {
        if (Vertx.currentContext() != context) {
          result.completeExceptionally(new AssertionError("the future completed on " + Vertx.currentContext()
              + " (thread " + Thread.currentThread().getName() + "), not on the calling context " + context));
        } else if (ar.succeeded()) {
          result.complete(ar.result());
        } else {
          result.completeExceptionally(ar.cause());
        }
      });
    });
    try {
      return result.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (TimeoutException e) {
      throw new AssertionError("the operation did not complete within 10 s", e);
    }
  }

  // ---- counters

  @Test
  void counterStartsAtZeroAndAddsAtomically() {
    Counters counters = fresh().counters();
    String key = key();
    assertThat(call(() -> counters.addAndGet(key, 1, MINUTE))).isEqualTo(1L);
    assertThat(call(() -> counters.addAndGet(key, 5, MINUTE))).isEqualTo(6L);
    assertThat(call(() -> counters.addAndGet(key, -2, MINUTE))).isEqualTo(4L);
    assertThat(call(() -> counters.addAndGet(key(), 3, MINUTE))).as("another key").isEqualTo(3L);
  }

  @Test
  void concurrentAdditionsFromSeveralEventLoopsEachSeeTheirOwnValue() throws Exception {
    Counters counters = fresh().counters();
    String key = key();
    int loops = 4;
    int perLoop = 100;
    List<CompletableFuture<List<Long>>> results = new ArrayList<>();
    for (int l = 0; l < loops; l++) {
      CompletableFuture<List<Long>> done = new CompletableFuture<>();
      results.add(done);
      Context context = vertx().getOrCreateContext();
      context.runOnContext(v -> {
        List<Future<Long>> adds = new ArrayList<>();
        for (int i = 0; i < perLoop; i++) {
          adds.add(counters.addAndGet(key, 1, MINUTE));
        }
        Future.all(adds).onComplete(ar -> {
          if (ar.failed()) {
            done.completeExceptionally(ar.cause());
          } else {
            List<Long> values = new ArrayList<>();
            adds.forEach(f -> values.add(f.result()));
            done.complete(values);
          }
        });
      });
    }
    Set<Long> seen = new HashSet<>();
    for (CompletableFuture<List<Long>> r : results) {
      seen.addAll(r.get(30, TimeUnit.SECONDS));
    }
    assertThat(seen).as("every addition returned a distinct value").hasSize(loops * perLoop);
    assertThat(call(() -> counters.addAndGet(key, 0, MINUTE))).isEqualTo((long) loops * perLoop);
  }

  @Test
  void counterExpiresAfterItsTimeToLiveAndStartsAgainAtZero() {
    Counters counters = fresh().counters();
    String key = key();
    assertThat(call(() -> counters.addAndGet(key, 7, shortTtl()))).isEqualTo(7L);
    await().atMost(shortTtl().plus(expiryGrace())).pollInterval(Duration.ofMillis(20))
        .until(() -> call(() -> counters.addAndGet(key, 0, MINUTE)) == 0L);
  }

  @Test
  void additionsDoNotExtendACountersTimeToLive() {
    Counters counters = fresh().counters();
    String key = key();
    assertThat(call(() -> counters.addAndGet(key, 1, shortTtl()))).isEqualTo(1L);
    // Each poll adds 1, far more often than the time-to-live: only a window that is not extended restarts.
    await().atMost(shortTtl().plus(expiryGrace())).pollInterval(Duration.ofMillis(20))
        .until(() -> call(() -> counters.addAndGet(key, 1, shortTtl())) == 1L);
  }

  // ---- budgets (Counters#take)

  @Test
  void aWindowGrantsUpToItsLimitAndThenNothing() {
    Counters counters = fresh().counters();
    String key = key();
    Budget budget = Budget.window(10, MINUTE);
    assertThat(call(() -> counters.take(key, 4, budget))).isEqualTo(new Grant(4, 6));
    assertThat(call(() -> counters.take(key, 4, budget))).isEqualTo(new Grant(4, 2));
    assertThat(call(() -> counters.take(key, 4, budget))).as("only what is left").isEqualTo(new Grant(2, 0));
    assertThat(call(() -> counters.take(key, 1, budget))).isEqualTo(new Grant(0, 0));
    assertThat(call(() -> counters.take(key, 0, budget))).as("asking for nothing reads").isEqualTo(new Grant(0, 0));
  }

  @Test
  void unusedUnitsGoBackWithANegativeTakeButNeverBelowEmpty() {
    Counters counters = fresh().counters();
    String key = key();
    Budget budget = Budget.window(10, MINUTE);
    call(() -> counters.take(key, 10, budget));
    assertThat(call(() -> counters.take(key, -3, budget))).isEqualTo(new Grant(-3, 3));
    assertThat(call(() -> counters.take(key, -50, budget))).as("at most what was in use").isEqualTo(new Grant(-7, 10));
  }

  @Test
  void concurrentTakesFromSeveralEventLoopsNeverGrantMoreThanTheLimit() throws Exception {
    Counters counters = fresh().counters();
    String key = key();
    Budget budget = Budget.window(250, MINUTE);
    List<CompletableFuture<Long>> results = new ArrayList<>();
    for (int l = 0; l < 4; l++) {
      CompletableFuture<Long> done = new CompletableFuture<>();
      results.add(done);
      vertx().getOrCreateContext().runOnContext(v -> {
        List<Future<Grant>> takes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          takes.add(counters.take(key, 3, budget));
        }
        Future.all(takes).onComplete(ar -> {
          if (ar.failed()) {
            done.completeExceptionally(ar.cause());
          } else {
            done.complete(takes.stream().mapToLong(f -> f.result().granted()).sum());
          }
        });
      });
    }
    long granted = 0;
    for (CompletableFuture<Long> r : results) {
      granted += r.get(30, TimeUnit.SECONDS);
    }
    assertThat(granted).as("600 asked, 250 allowed").isEqualTo(250);
  }

  @Test
  void aWindowStartsAgainAfterItsPeriod() {
    Counters counters = fresh().counters();
    String key = key();
    Budget budget = Budget.window(2, shortTtl());
    assertThat(call(() -> counters.take(key, 5, budget)).granted()).isEqualTo(2);
    await().atMost(shortTtl().plus(expiryGrace())).pollInterval(Duration.ofMillis(20))
        .until(() -> call(() -> counters.take(key, 0, budget)).remaining() == 2);
  }

  @Test
  void aBucketRefillsOverTimeUpToItsCapacity() {
    Counters counters = fresh().counters();
    String key = key();
    // 5 tokens, 5 back per short ttl: empty now, some back soon, never more than 5.
    Budget budget = Budget.bucket(5, 5, shortTtl());
    assertThat(call(() -> counters.take(key, 9, budget))).isEqualTo(new Grant(5, 0));
    await().atMost(shortTtl().plus(expiryGrace())).pollInterval(Duration.ofMillis(20))
        .until(() -> call(() -> counters.take(key, 0, budget)).remaining() > 0);
    await().atMost(shortTtl().multipliedBy(2).plus(expiryGrace())).pollInterval(Duration.ofMillis(20))
        .until(() -> call(() -> counters.take(key, 0, budget)).remaining() == 5);
    assertThat(call(() -> counters.take(key, 9, budget)).granted()).as("capacity caps the refill").isEqualTo(5);
  }

  @Test
  void refusesATimeToLiveBelowOneMillisecond() {
    ClusterServices cluster = fresh();
    assertThatThrownBy(() -> cluster.counters().addAndGet(key(), 1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> cluster.store("s", String.class).put(key(), "v", Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> cluster.cache("c").put(key(), Buffer.buffer("v"), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- key-value store

  @Test
  void storeGetsPutsReplacesAndRemoves() {
    KeyValueStore<String> store = fresh().store("sessions", String.class);
    String key = key();
    assertThat(call(() -> store.get(key))).as("absent").isNull();
    call(() -> store.put(key, "one", MINUTE));
    assertThat(call(() -> store.get(key))).isEqualTo("one");
    call(() -> store.put(key, "two", MINUTE));
    assertThat(call(() -> store.get(key))).isEqualTo("two");
    call(() -> store.remove(key));
    assertThat(call(() -> store.get(key))).isNull();
    call(() -> store.remove(key));
    assertThat(call(() -> store.get(key))).as("removing an absent key is fine").isNull();
  }

  @Test
  void putIfAbsentStoresOnlyOverNothing() {
    KeyValueStore<String> store = fresh().store("nonces", String.class);
    String key = key();
    assertThat(call(() -> store.putIfAbsent(key, "first", MINUTE))).isTrue();
    assertThat(call(() -> store.putIfAbsent(key, "second", MINUTE))).isFalse();
    assertThat(call(() -> store.get(key))).isEqualTo("first");
    call(() -> store.remove(key));
    assertThat(call(() -> store.putIfAbsent(key, "third", MINUTE))).isTrue();
    assertThat(call(() -> store.get(key))).isEqualTo("third");
  }

  @Test
  void storeEntriesExpireAfterTheirTimeToLive() {
    KeyValueStore<String> store = fresh().store("short", String.class);
    String key = key();
    call(() -> store.put(key, "v", shortTtl()));
    await().atMost(shortTtl().plus(expiryGrace())).pollInterval(Duration.ofMillis(20))
        .until(() -> call(() -> store.get(key)) == null);
    assertThat(call(() -> store.putIfAbsent(key, "again", MINUTE))).as("an expired key is absent").isTrue();
  }

  /**
   * An entry lives until its time-to-live, not less: one kept in whole seconds could be gone at once. Each
   * read right after the write may find the entry gone only if its time-to-live had passed by then.
   */
  @Test
  void shortLivedEntriesReadBackUntilTheirTimeToLive() {
    ClusterServices cluster = fresh();
    KeyValueStore<String> store = cluster.store("brief", String.class);
    Cache cache = cluster.cache("brief");
    Duration ttl = shortTtl();
    for (int i = 0; i < 5; i++) {
      String put = key();
      String ifAbsent = key();
      String cached = key();
      long start = System.nanoTime();
      call(() -> store.put(put, "v", ttl));
      String read = call(() -> store.get(put));
      assertReadBeforeItsTimeToLive(read, "v", start, ttl, "a store's put");
      start = System.nanoTime();
      assertThat(call(() -> store.putIfAbsent(ifAbsent, "w", ttl))).isTrue();
      read = call(() -> store.get(ifAbsent));
      assertReadBeforeItsTimeToLive(read, "w", start, ttl, "a store's putIfAbsent");
      start = System.nanoTime();
      call(() -> cache.put(cached, Buffer.buffer("c"), ttl));
      Buffer hit = call(() -> cache.get(cached));
      assertReadBeforeItsTimeToLive(hit, Buffer.buffer("c"), start, ttl, "a cache's put");
    }
  }

  private static <V> void assertReadBeforeItsTimeToLive(@Nullable V read, V written, long startNanos, Duration ttl,
      String what) {
    if (read == null) {
      assertThat(Duration.ofNanos(System.nanoTime() - startNanos))
          .as("%s was gone before its time-to-live of %s", what, ttl).isGreaterThanOrEqualTo(ttl);
    } else {
      assertThat(read).as(what).isEqualTo(written);
    }
  }

  @Test
  void storeHoldsEveryAllowedValueType() {
    ClusterServices cluster = fresh();
    roundTrip(cluster.store("s", String.class), "text");
    roundTrip(cluster.store("b", Boolean.class), true);
    roundTrip(cluster.store("i", Integer.class), 42);
    roundTrip(cluster.store("l", Long.class), 1L << 40);
    roundTrip(cluster.store("d", Double.class), 2.5);
    roundTrip(cluster.store("buf", Buffer.class), Buffer.buffer("bytes"));
    roundTrip(cluster.store("o", JsonObject.class),
        new JsonObject().put("user", "u1").put("n", 3).put("tags", new JsonArray().add("a").addNull()));
    roundTrip(cluster.store("a", JsonArray.class), new JsonArray().add(1).add(new JsonObject().put("x", false)));
  }

  private <V> void roundTrip(KeyValueStore<V> store, V value) {
    String key = key();
    call(() -> store.put(key, value, MINUTE));
    assertThat(call(() -> store.get(key))).isEqualTo(value);
  }

  @Test
  void refusesValueTypesOtherNodesCannotRead() {
    ClusterServices cluster = fresh();
    assertThatThrownBy(() -> cluster.store("mine", PluginValue.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot hold " + PluginValue.class.getName())
        .hasMessageContaining("JsonObject");
    assertThatThrownBy(() -> cluster.store("any", Object.class)).isInstanceOf(IllegalArgumentException.class);
    KeyValueStore<JsonObject> json = cluster.store("json", JsonObject.class);
    JsonObject smuggled = new JsonObject().put("ok", 1).put("inner", new JsonObject().put("v", new PluginValue("x")));
    String key = key();
    assertThatThrownBy(() -> call(() -> json.put(key, smuggled, MINUTE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("$.inner.v");
    assertThat(call(() -> json.get(key))).as("nothing was stored").isNull();
  }

  @Test
  void storedValuesAreCopiesNotShared() {
    KeyValueStore<JsonObject> store = fresh().store("json", JsonObject.class);
    String key = key();
    JsonObject original = new JsonObject().put("n", 1);
    call(() -> store.put(key, original, MINUTE));
    original.put("n", 2);
    JsonObject read = call(() -> store.get(key));
    assertThat(read).isEqualTo(new JsonObject().put("n", 1));
    read.put("n", 3);
    assertThat(call(() -> store.get(key))).isEqualTo(new JsonObject().put("n", 1));
  }

  // ---- cache

  @Test
  void cacheGetsPutsAndInvalidates() {
    Cache cache = fresh().cache("responses");
    String key = key();
    assertThat(call(() -> cache.get(key))).as("a miss").isNull();
    Buffer value = Buffer.buffer("hello");
    call(() -> cache.put(key, value, MINUTE));
    value.appendString(" changed afterwards");
    assertThat(call(() -> cache.get(key))).isEqualTo(Buffer.buffer("hello"));
    call(() -> cache.put(key, Buffer.buffer("again"), MINUTE));
    assertThat(call(() -> cache.get(key))).isEqualTo(Buffer.buffer("again"));
    call(() -> cache.invalidate(key));
    assertThat(call(() -> cache.get(key))).isNull();
  }

  @Test
  void cacheEntriesExpireAfterTheirTimeToLive() {
    Cache cache = fresh().cache("short");
    String key = key();
    call(() -> cache.put(key, Buffer.buffer("v"), shortTtl()));
    await().atMost(shortTtl().plus(expiryGrace())).pollInterval(Duration.ofMillis(20))
        .until(() -> call(() -> cache.get(key)) == null);
  }

  @Test
  void cacheIsBounded() {
    Cache cache = fresh().cache("bounded");
    int bound = cacheBound();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < bound * 3; i++) {
      String key = "entry-" + i;
      keys.add(key);
      call(() -> cache.put(key, Buffer.buffer("v"), MINUTE));
    }
    int hits = 0;
    for (String key : keys) {
      if (call(() -> cache.get(key)) != null) {
        hits++;
      }
    }
    assertThat(hits).as("entries still cached after %d puts", bound * 3).isBetween(1, bound);
  }

  // ---- namespaces and contexts

  @Test
  void namespacesDoNotShareKeysButTheSameNamespaceDoes() {
    String namespace = "contract-" + UUID.randomUUID();
    ClusterServices a = services(vertx(), namespace);
    ClusterServices again = services(vertx(), namespace);
    ClusterServices b = fresh();
    String key = key();
    call(() -> a.counters().addAndGet(key, 5, MINUTE));
    call(() -> a.store("s", String.class).put(key, "a", MINUTE));
    call(() -> a.cache("c").put(key, Buffer.buffer("a"), MINUTE));

    assertThat(call(() -> b.counters().addAndGet(key, 1, MINUTE))).isEqualTo(1L);
    assertThat(call(() -> b.store("s", String.class).get(key))).isNull();
    assertThat(call(() -> b.cache("c").get(key))).isNull();
    assertThat(call(() -> a.store("other", String.class).get(key))).as("another store of the same namespace").isNull();

    assertThat(call(() -> again.counters().addAndGet(key, 1, MINUTE))).isEqualTo(6L);
    assertThat(call(() -> again.store("s", String.class).get(key))).isEqualTo("a");
    assertThat(call(() -> again.cache("c").get(key))).isEqualTo(Buffer.buffer("a"));
  }

  @Test
  void futuresCompleteOnEachCallersOwnContext() {
    ClusterServices cluster = fresh();
    String key = key();
    KeyValueStore<String> store = cluster.store("s", String.class);
    Cache cache = cluster.cache("c");
    for (int i = 0; i < 3; i++) {
      Context context = vertx().getOrCreateContext();
      String value = "v" + i;
      assertThat(callOn(context, () -> cluster.counters().addAndGet(key, 1, MINUTE))).isEqualTo(i + 1L);
      callOn(context, () -> store.put(key, value, MINUTE));
      assertThat(callOn(context, () -> store.putIfAbsent(key, "x", MINUTE))).isFalse();
      assertThat(callOn(context, () -> store.get(key))).isEqualTo(value);
      callOn(context, () -> cache.put(key, Buffer.buffer("v"), MINUTE));
      assertThat(callOn(context, () -> cache.get(key))).isNotNull();
      callOn(context, () -> cache.invalidate(key));
      callOn(context, () -> store.remove(key));
    }
  }
}
