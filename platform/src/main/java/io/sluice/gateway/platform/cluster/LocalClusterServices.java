// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.cluster;

import io.sluice.gateway.api.cluster.Cache;
import io.sluice.gateway.api.cluster.ClusterServices;
import io.sluice.gateway.api.cluster.Counters;
import io.sluice.gateway.api.cluster.KeyValueStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The cluster facade for a single node: in-memory, shared by all event loops of this JVM. Every operation
 * completes immediately. Expired entries are dropped when touched and by {@link #sweep()}, which the gateway
 * runs periodically.
 *
 * <p>{@link #namespaced(String)} gives each policy type its own key space over the same maps.
 */
public final class LocalClusterServices {

  private static final int CACHE_ENTRIES = 10_000;

  private record Entry(Object value, long expiresAtNanos) {
    boolean expired(long now) {
      return now - expiresAtNanos >= 0;
    }
  }

  private final ConcurrentHashMap<String, Entry> counters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Entry> stores = new ConcurrentHashMap<>();
  private final Map<String, Entry> cache = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
      return size() > CACHE_ENTRIES;
    }
  };

  /** The facade a policy type sees: keys are prefixed with {@code namespace}. */
  public ClusterServices namespaced(String namespace) {
    String prefix = namespace + "\u0000";
    return new ClusterServices() {
      @Override
      public Counters counters() {
        return (key, delta, ttl) -> Future.succeededFuture(addAndGet(prefix + key, delta, ttl));
      }

      @Override
      public <V> KeyValueStore<V> store(String name, Class<V> valueType) {
        return new LocalStore<>(prefix + name + "\u0000", valueType);
      }

      @Override
      public Cache cache(String name) {
        return new LocalCache(prefix + name + "\u0000");
      }
    };
  }

  long addAndGet(String key, long delta, Duration ttl) {
    long now = System.nanoTime();
    Entry updated = counters.compute(key, (k, e) -> e == null || e.expired(now)
        ? new Entry(delta, now + ttl.toNanos())
        : new Entry((Long) e.value() + delta, e.expiresAtNanos()));
    return (Long) updated.value();
  }

  /** Drops expired counters and store entries. */
  public void sweep() {
    long now = System.nanoTime();
    counters.values().removeIf(e -> e.expired(now));
    stores.values().removeIf(e -> e.expired(now));
    synchronized (cache) {
      cache.values().removeIf(e -> e.expired(now));
    }
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
      return Future.succeededFuture(type.cast(e.value()));
    }

    @Override
    public Future<Void> put(String key, V value, Duration ttl) {
      stores.put(prefix + key, new Entry(value, System.nanoTime() + ttl.toNanos()));
      return Future.succeededFuture();
    }

    @Override
    public Future<Boolean> putIfAbsent(String key, V value, Duration ttl) {
      long now = System.nanoTime();
      boolean[] stored = {false};
      stores.compute(prefix + key, (k, e) -> {
        if (e == null || e.expired(now)) {
          stored[0] = true;
          return new Entry(value, now + ttl.toNanos());
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
      Entry e;
      synchronized (cache) {
        e = cache.get(prefix + key);
      }
      if (e == null || e.expired(System.nanoTime())) {
        return Future.succeededFuture(null);
      }
      return Future.succeededFuture(((Buffer) e.value()).copy());
    }

    @Override
    public Future<Void> put(String key, Buffer value, Duration ttl) {
      Entry e = new Entry(value.copy(), System.nanoTime() + ttl.toNanos());
      synchronized (cache) {
        cache.put(prefix + key, e);
      }
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> invalidate(String key) {
      synchronized (cache) {
        cache.remove(prefix + key);
      }
      return Future.succeededFuture();
    }
  }
}
