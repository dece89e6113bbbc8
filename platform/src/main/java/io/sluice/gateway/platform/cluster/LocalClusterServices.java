// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.cluster;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
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
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The cluster backend for a single node: in-memory, shared by all event loops of this JVM. Every operation
 * completes at once, so its callbacks run on the caller's thread and context. Expired entries are dropped
 * when touched and by {@link #sweep()}.
 *
 * <p>It enforces the cluster contract although nothing leaves the JVM, so that a plugin that works here
 * works on a cluster: store value types are checked, values are copied in and out, time-to-lives must be
 * positive.
 */
final class LocalClusterServices implements ClusterBackend {

  /** What an entry costs beyond its key and value (the map node, the entry, the buffer object). */
  private static final int ENTRY_OVERHEAD = 64;

  private record Entry(Object value, long expiresAtNanos) {
    boolean expired(long now) {
      return now - expiresAtNanos >= 0;
    }
  }

  private final ConcurrentHashMap<String, Entry> counters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Allowance> budgets = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Entry> stores = new ConcurrentHashMap<>();
  private final com.github.benmanes.caffeine.cache.Cache<String, Entry> cache;

  /** With the default budget: {@value CacheBudget#DEFAULT_PERCENT} % of the heap for the caches. */
  LocalClusterServices() {
    this(CacheBudget.bytes(CacheBudget.DEFAULT_PERCENT));
  }

  /**
   * Caffeine evicts by its frequency and recency policy (W-TinyLFU) beyond the bound.
   *
   * @param cacheBytes the bound of the caches (all namespaces together) in bytes; an entry weighs its key (two
   *     bytes a char), its value and a fixed overhead ({@value #ENTRY_OVERHEAD})
   */
  LocalClusterServices(long cacheBytes) {
    cache = Caffeine.newBuilder()
        .maximumWeight(cacheBytes)
        .weigher((String key, Entry e) -> (int) Math.min(Integer.MAX_VALUE,
            ENTRY_OVERHEAD + 2L * key.length() + ((Buffer) e.value()).length()))
        .expireAfter(EXPIRY)
        .executor(Runnable::run) // evict on the caller's thread: the work is small and needs no pool thread
        .build();
  }

  /** @param cacheEntries the bound of the caches in entries, whatever their size (the contract test counts entries) */
  LocalClusterServices(int cacheEntries) {
    cache = Caffeine.newBuilder().maximumSize(cacheEntries).expireAfter(EXPIRY).executor(Runnable::run).build();
  }

  /** Each cache entry lives for its own time-to-live, counted from its last put. */
  private static final Expiry<String, Entry> EXPIRY = Expiry.writing((String key, Entry e) ->
      Duration.ofNanos(Math.max(1, e.expiresAtNanos() - System.nanoTime())));

  @Override
  public ClusterServices namespaced(String namespace) {
    String prefix = ClusterKeys.namespace(namespace);
    return new ClusterServices() {
      @Override
      public Counters counters() {
        return new Counters() {
          @Override
          public Future<Long> addAndGet(String key, long delta, Duration ttl) {
            return Future.succeededFuture(LocalClusterServices.this.addAndGet(prefix + key, delta, ttl));
          }

          @Override
          public Future<Grant> take(String key, long wanted, Budget budget) {
            return Future.succeededFuture(LocalClusterServices.this.take(prefix + key, wanted, budget));
          }
        };
      }

      @Override
      public <V> KeyValueStore<V> store(String name, Class<V> valueType) {
        ClusterValues.requireAllowedType(name, valueType);
        return new LocalStore<>(ClusterKeys.scoped(prefix, name), valueType);
      }

      @Override
      public Cache cache(String name) {
        return new LocalCache(ClusterKeys.scoped(prefix, name));
      }
    };
  }

  private long addAndGet(String key, long delta, Duration ttl) {
    long ttlNanos = ClusterKeys.ttlNanos(ttl);
    long now = System.nanoTime();
    Entry updated = counters.compute(key, (k, e) -> e == null || e.expired(now)
        ? new Entry(delta, now + ttlNanos)
        : new Entry((Long) e.value() + delta, e.expiresAtNanos()));
    return (Long) updated.value();
  }

  /** A budget's state: units in use at a time, and when the counter may be dropped. */
  private record Allowance(double used, long atMillis, long expiresAtMillis) {}

  private Grant take(String key, long wanted, Budget budget) {
    long now = System.currentTimeMillis();
    long[] granted = {0};
    Allowance after = budgets.compute(key, (k, a) -> {
      double used = a == null || now >= a.expiresAtMillis() ? 0 : budget.usedAt(a.used(), a.atMillis(), now);
      long expires = a == null || now >= a.expiresAtMillis() ? now + budget.period().toMillis() : a.expiresAtMillis();
      granted[0] = budget.grantable(wanted, used);
      double next = used + granted[0];
      return new Allowance(next, now, budget.isBucket() ? now + budget.bucketLifetimeMillis(next) : expires);
    });
    return new Grant(granted[0], budget.left(after.used()));
  }

  /** Drops expired counters, store entries and cache entries. */
  @Override
  public void sweep() {
    long now = System.nanoTime();
    counters.values().removeIf(e -> e.expired(now));
    long nowMillis = System.currentTimeMillis();
    budgets.values().removeIf(a -> nowMillis >= a.expiresAtMillis());
    stores.values().removeIf(e -> e.expired(now));
    cache.cleanUp();
  }

  private final class LocalStore<V> implements KeyValueStore<V> {
    private final String prefix;
    private final Class<V> type;

    LocalStore(String prefix, Class<V> type) {
      this.prefix = prefix;
      this.type = type;
    }

    @Override
    public Future<@Nullable V> get(String key) {
      Entry e = stores.get(prefix + key);
      if (e == null || e.expired(System.nanoTime())) {
        return Future.succeededFuture(null);
      }
      return Future.succeededFuture(ClusterValues.copyOf(type.cast(e.value())));
    }

    @Override
    public Future<Void> put(String key, V value, Duration ttl) {
      long ttlNanos = ClusterKeys.ttlNanos(ttl);
      Object copy;
      try {
        copy = ClusterValues.copyOf(type.cast(value));
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(e);
      }
      stores.put(prefix + key, new Entry(copy, System.nanoTime() + ttlNanos));
      return Future.succeededFuture();
    }

    @Override
    public Future<Boolean> putIfAbsent(String key, V value, Duration ttl) {
      long ttlNanos = ClusterKeys.ttlNanos(ttl);
      Object copy;
      try {
        copy = ClusterValues.copyOf(type.cast(value));
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(e);
      }
      long now = System.nanoTime();
      boolean[] stored = {false};
      stores.compute(prefix + key, (k, e) -> {
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
      stores.remove(prefix + key);
      return Future.succeededFuture();
    }
  }

  private final class LocalCache implements Cache {
    private final String prefix;

    LocalCache(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public Future<@Nullable Buffer> get(String key) {
      Entry e = cache.getIfPresent(prefix + key);
      if (e == null || e.expired(System.nanoTime())) {
        return Future.succeededFuture(null);
      }
      return Future.succeededFuture(((Buffer) e.value()).copy());
    }

    @Override
    public Future<Void> put(String key, Buffer value, Duration ttl) {
      Entry e = new Entry(value.copy(), System.nanoTime() + ClusterKeys.ttlNanos(ttl));
      cache.put(prefix + key, e);
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> invalidate(String key) {
      cache.invalidate(prefix + key);
      return Future.succeededFuture();
    }
  }
}
