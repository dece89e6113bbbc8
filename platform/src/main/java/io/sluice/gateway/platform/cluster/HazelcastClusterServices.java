// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.sluice.gateway.api.cluster.Budget;
import io.sluice.gateway.api.cluster.Cache;
import io.sluice.gateway.api.cluster.ClusterServices;
import io.sluice.gateway.api.cluster.ClusterValues;
import io.sluice.gateway.api.cluster.Counters;
import io.sluice.gateway.api.cluster.Grant;
import io.sluice.gateway.api.cluster.KeyValueStore;
import io.sluice.gateway.platform.config.ConfigLoader;
import io.sluice.gateway.platform.config.ConfigSource;
import io.sluice.gateway.platform.config.FileConfigSource;
import io.sluice.gateway.platform.reload.Reloader;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The cluster facade on an embedded Hazelcast member: counters and budgets are entries of IMaps updated by
 * {@linkplain EntryProcessors entry processors} on the key's owner (atomic per key; the CP subsystem is not in
 * the open-source edition), stores and the cache are IMaps of {@linkplain WireValues wire-form} values, the
 * cache bounded per member with LRU eviction and read through a near cache. Every map keeps {@code
 * cluster.backupCount} backups.
 *
 * <p>No call blocks: each uses Hazelcast's asynchronous operation and completes the returned future on the
 * caller's Vert.x context. Keys are namespaced and time-to-lives checked by {@link ClusterKeys}, as in {@link
 * LocalClusterServices}.
 */
public final class HazelcastClusterServices implements ClusterBackend {

  private final HazelcastInstance member;
  private final IMap<String, long[]> counters;
  private final IMap<String, double[]> budgets;
  private final IMap<String, byte[]> stores;
  private final IMap<String, byte[]> cache;
  private volatile @Nullable SharedConfigSource shared;
  private volatile @Nullable NodeReports reports;

  HazelcastClusterServices(HazelcastInstance member) {
    this.member = member;
    this.counters = member.getMap(HazelcastMember.COUNTERS);
    this.budgets = member.getMap(HazelcastMember.BUDGETS);
    this.stores = member.getMap(HazelcastMember.STORES);
    this.cache = member.getMap(HazelcastMember.CACHE);
  }

  /** The member this backend uses. */
  HazelcastInstance member() {
    return member;
  }

  @Override
  public ClusterServices namespaced(String namespace) {
    String prefix = ClusterKeys.namespace(namespace);
    return new ClusterServices() {
      @Override
      public Counters counters() {
        return new Counters() {
          @Override
          public Future<Long> addAndGet(String key, long delta, Duration ttl) {
            long ttlMillis = ClusterKeys.ttlMillis(ttl);
            return onCaller(counters.submitToKey(prefix + key, new EntryProcessors.Add(delta, ttlMillis)));
          }

          @Override
          public Future<Grant> take(String key, long wanted, Budget budget) {
            return onCaller(budgets.submitToKey(prefix + key, new EntryProcessors.Take(wanted, budget)))
                .map(r -> new Grant(r[0], r[1]));
          }
        };
      }

      @Override
      public <V> KeyValueStore<V> store(String name, Class<V> valueType) {
        ClusterValues.requireAllowedType(name, valueType);
        return new Store<>(ClusterKeys.scoped(prefix, name), valueType);
      }

      @Override
      public Cache cache(String name) {
        return new MapCache(ClusterKeys.scoped(prefix, name));
      }
    };
  }

  @Override
  public ConfigSource configSource(ConfigSource own, ConfigLoader loader) {
    if (!(own instanceof FileConfigSource file)) {
      return own;
    }
    var self = member.getCluster().getLocalMember().getAddress();
    shared = new SharedConfigSource(file, loader, member.getMap(HazelcastMember.CONFIG), self.getHost() + ":" + self.getPort());
    return shared;
  }

  @Override
  public void follow(Reloader reloader, String sluiceVersion) {
    SharedConfigSource source = shared;
    if (source != null) {
      NodeReports reports = new NodeReports(member, source, sluiceVersion);
      this.reports = reports;
      reloader.listen(reports);
      source.onChange(() -> reloader.reloadIfChanged("cluster change"));
    }
  }

  @Override
  public JsonObject describe() {
    NodeReports r = reports;
    if (r != null) {
      return r.describe();
    }
    JsonArray members = new JsonArray();
    member.getCluster().getMembers().forEach(m -> members.add(new JsonObject()
        .put("uuid", m.getUuid().toString()).put("address", m.getAddress().getHost() + ":" + m.getAddress().getPort())
        .put("self", m.localMember())));
    return new JsonObject().put("backend", "hazelcast").put("name", member.getConfig().getClusterName())
        .put("members", members);
  }

  @Override
  public NodeBoard board(String name) {
    return new HazelcastNodeBoard(member, HazelcastMember.BOARD_PREFIX + name);
  }

  /** Hazelcast expires entries itself. */
  @Override
  public void sweep() {}

  /** Leaves the cluster gracefully: this member's partitions move to the others first. Blocking. */
  @Override
  public void close() {
    if (member.getLifecycleService().isRunning()) {
      member.shutdown();
    }
  }

  /** Completes on the context that called (Hazelcast completes on its own threads). */
  private static <T> Future<T> onCaller(CompletionStage<T> stage) {
    Context context = Vertx.currentContext();
    return context == null ? Future.fromCompletionStage(stage) : Future.fromCompletionStage(stage, context);
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
      return onCaller(stores.getAsync(prefix + key)).map(wire -> {
        byte[] value = ExpiringEntries.bytes(wire, System.currentTimeMillis());
        return value == null ? null : WireValues.decode(value, type);
      });
    }

    @Override
    public Future<Void> put(String key, V value, Duration ttl) {
      long ttlMillis = ClusterKeys.ttlMillis(ttl);
      byte[] wire;
      try {
        wire = WireValues.encode(type.cast(value));
      } catch (IllegalArgumentException | ClassCastException e) {
        return Future.failedFuture(e);
      }
      byte[] entry = ExpiringEntries.wire(wire, System.currentTimeMillis() + ttlMillis);
      // The value's expiry decides; Hazelcast keeps the entry a margin longer (it holds times in seconds).
      return onCaller(stores.setAsync(prefix + key, entry, EntryProcessors.keptFor(ttlMillis), TimeUnit.MILLISECONDS));
    }

    @Override
    public Future<Boolean> putIfAbsent(String key, V value, Duration ttl) {
      long ttlMillis = ClusterKeys.ttlMillis(ttl);
      byte[] wire;
      try {
        wire = WireValues.encode(type.cast(value));
      } catch (IllegalArgumentException | ClassCastException e) {
        return Future.failedFuture(e);
      }
      return onCaller(stores.submitToKey(prefix + key, new EntryProcessors.PutIfAbsent(wire, ttlMillis)));
    }

    @Override
    public Future<Void> remove(String key) {
      return onCaller(stores.deleteAsync(prefix + key)).mapEmpty();
    }
  }

  private final class MapCache implements Cache {
    private final String prefix;

    MapCache(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public Future<@Nullable Buffer> get(String key) {
      // The expiry in the value, not only Hazelcast's: a near cache keeps an expired entry until the owner's
      // expiry task invalidates it, seconds later (ExpiringEntries).
      return onCaller(cache.getAsync(prefix + key))
          .map(wire -> ExpiringEntries.buffer(wire, System.currentTimeMillis()));
    }

    @Override
    public Future<Void> put(String key, Buffer value, Duration ttl) {
      long ttlMillis = ClusterKeys.ttlMillis(ttl);
      byte[] wire = ExpiringEntries.wire(value, System.currentTimeMillis() + ttlMillis);
      // The value's expiry decides; Hazelcast keeps the entry a margin longer (it holds times in seconds).
      return onCaller(cache.setAsync(prefix + key, wire, EntryProcessors.keptFor(ttlMillis), TimeUnit.MILLISECONDS));
    }

    @Override
    public Future<Void> invalidate(String key) {
      return onCaller(cache.deleteAsync(prefix + key)).mapEmpty();
    }
  }
}
