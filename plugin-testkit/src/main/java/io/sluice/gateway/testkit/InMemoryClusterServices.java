// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.testkit;

import io.sluice.gateway.api.cluster.Budget;
import io.sluice.gateway.api.cluster.Cache;
import io.sluice.gateway.api.cluster.ClusterServices;
import io.sluice.gateway.api.cluster.ClusterValues;
import io.sluice.gateway.api.cluster.Counters;
import io.sluice.gateway.api.cluster.Grant;
import io.sluice.gateway.api.cluster.KeyValueStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The cluster facade in memory, for unit tests: hand it (or its {@link #counters()}, a {@link #store} or a
 * {@link #cache}) to the policy under test. It keeps the same contract as the gateway's backends and passes
 * the same {@link ClusterServicesContract}: value types are checked, values copied, time-to-lives must be
 * positive, and every future is already complete (so callbacks run on the caller's context).
 *
 * <pre>{@code
 * InMemoryClusterServices cluster = new InMemoryClusterServices();
 * Policy policy = new RateLimitPolicy(config, cluster.counters());
 * }</pre>
 *
 * <p>This is the test kit's own implementation, not the gateway's: the test kit does not depend on the
 * platform, so plugin unit tests need neither the gateway nor its dependencies on their class path.
 */
public final class InMemoryClusterServices implements ClusterServices {

  private static final int DEFAULT_CACHE_ENTRIES = 10_000;

  private record Entry(Object value, long expiresAtNanos) {
    boolean expired(long now) {
      return now - expiresAtNanos >= 0;
    }
  }

  /** A budget's state: units in use at a time, and when the counter may be dropped. */
  private record Allowance(double used, long atMillis, long expiresAtMillis) {}

  /** The maps every namespace of one instance shares, as the policy types of one gateway do. */
  private static final class State {
    final ConcurrentHashMap<String, Entry> counters = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, Allowance> budgets = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, Entry> stores = new ConcurrentHashMap<>();
    final Map<String, Entry> cache;

    State(int cacheEntries) {
      cache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
          return size() > cacheEntries;
        }
      };
    }
  }

  private final State state;
  private final String prefix;

  /** An empty facade whose caches hold up to 10,000 entries together. */
  public InMemoryClusterServices() {
    this(DEFAULT_CACHE_ENTRIES);
  }

  /** @param cacheEntries how many entries all caches hold together before the least recently used go */
  public InMemoryClusterServices(int cacheEntries) {
    this(new State(cacheEntries), "");
  }

  private InMemoryClusterServices(State state, String prefix) {
    this.state = state;
    this.prefix = prefix;
  }

  /** The facade another policy type sees: the same maps, but its own keys (as the gateway namespaces them). */
  public InMemoryClusterServices namespaced(String namespace) {
    return new InMemoryClusterServices(state, prefix + namespace + "\u0000");
  }

  @Override
  public Counters counters() {
    return new Counters() {
      @Override
      public Future<Long> addAndGet(String key, long delta, Duration ttl) {
        long ttlNanos = ttlNanos(ttl);
        long now = System.nanoTime();
        Entry updated = state.counters.compute(prefix + key, (k, e) -> e == null || e.expired(now)
            ? new Entry(delta, now + ttlNanos)
            : new Entry((Long) e.value() + delta, e.expiresAtNanos()));
        return Future.succeededFuture((Long) updated.value());
      }

      @Override
      public Future<Grant> take(String key, long wanted, Budget budget) {
        long now = System.currentTimeMillis();
        long[] granted = {0};
        Allowance after = state.budgets.compute(prefix + key, (k, a) -> {
          boolean fresh = a == null || now >= a.expiresAtMillis();
          double used = fresh ? 0 : budget.usedAt(a.used(), a.atMillis(), now);
          granted[0] = budget.grantable(wanted, used);
          double next = used + granted[0];
          long expires = budget.isBucket() ? now + budget.bucketLifetimeMillis(next)
              : fresh ? now + budget.period().toMillis() : a.expiresAtMillis();
          return new Allowance(next, now, expires);
        });
        return Future.succeededFuture(new Grant(granted[0], budget.left(after.used())));
      }
    };
  }

  @Override
  public <V> KeyValueStore<V> store(String name, Class<V> valueType) {
    ClusterValues.requireAllowedType(name, valueType);
    return new Store<>(prefix + name + "\u0000", valueType);
  }

  @Override
  public Cache cache(String name) {
    return new InMemoryCache(prefix + name + "\u0000");
  }

  private static long ttlNanos(Duration ttl) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("the time-to-live must be at least 1 ms, was " + ttl);
    }
    return ttl.toNanos();
  }

  private final class Store<V> implements KeyValueStore<V> {
    private final String prefix;
    private final Class<V> type;

    Store(String prefix, Class<V> type) {
      this.prefix = prefix;
      this.type = type;
    }

    @Override
    public Future<@Nullable V> get(String key) {
      Entry e = state.stores.get(prefix + key);
      if (e == null || e.expired(System.nanoTime())) {
        return Future.succeededFuture(null);
      }
      return Future.succeededFuture(ClusterValues.copyOf(type.cast(e.value())));
    }

    @Override
    public Future<Void> put(String key, V value, Duration ttl) {
      long ttlNanos = ttlNanos(ttl);
      try {
        state.stores.put(prefix + key, new Entry(ClusterValues.copyOf(type.cast(value)), System.nanoTime() + ttlNanos));
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(e);
      }
      return Future.succeededFuture();
    }

    @Override
    public Future<Boolean> putIfAbsent(String key, V value, Duration ttl) {
      long ttlNanos = ttlNanos(ttl);
      Object copy;
      try {
        copy = ClusterValues.copyOf(type.cast(value));
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(e);
      }
      long now = System.nanoTime();
      boolean[] stored = {false};
      state.stores.compute(prefix + key, (k, e) -> {
        if (e == null || e.expired(now)) {
          stored[0] = true;
          return new Entry(copy, now + ttlNanos);
        }
        return e;
      });
      return Future.succeededFuture(stored[0]);
    }

    @Override
    public Future<Void> remove(String key) {
      state.stores.remove(prefix + key);
      return Future.succeededFuture();
    }
  }

  private final class InMemoryCache implements Cache {
    private final String prefix;

    InMemoryCache(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public Future<@Nullable Buffer> get(String key) {
      Entry e;
      synchronized (state.cache) {
        e = state.cache.get(prefix + key);
      }
      if (e == null || e.expired(System.nanoTime())) {
        return Future.succeededFuture(null);
      }
      return Future.succeededFuture(((Buffer) e.value()).copy());
    }

    @Override
    public Future<Void> put(String key, Buffer value, Duration ttl) {
      Entry e = new Entry(value.copy(), System.nanoTime() + ttlNanos(ttl));
      synchronized (state.cache) {
        state.cache.put(prefix + key, e);
      }
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> invalidate(String key) {
      synchronized (state.cache) {
        state.cache.remove(prefix + key);
      }
      return Future.succeededFuture();
    }
  }
}
