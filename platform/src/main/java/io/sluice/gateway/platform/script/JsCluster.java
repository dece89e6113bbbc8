// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.script;

import io.sluice.gateway.api.cluster.ClusterServices;
import io.sluice.gateway.api.cluster.KeyValueStore;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.jspecify.annotations.Nullable;

/**
 * The cluster facade for scripts, as the global {@code cluster}: every call returns a Promise. Keys are
 * prefixed with the script's file name, so scripts do not share keys by accident.
 *
 * <pre>{@code
 * async function onRequest(exchange) {
 *   const n = await cluster.increment('calls:' + exchange.consumer, 1, 60000);
 *   if (n > 100) exchange.reject(429, 'QUOTA_EXCEEDED');
 * }
 * }</pre>
 */
final class JsCluster extends JsApi.ReadOnly {

  private final ClusterServices cluster;
  private final KeyValueStore<String> store;
  private final String prefix;
  private final ScriptPromises promises;

  JsCluster(ClusterServices cluster, String file, ScriptPromises promises) {
    super("increment", "get", "put", "cacheGet", "cachePut");
    this.cluster = cluster;
    this.store = cluster.store("script", String.class);
    this.prefix = file + ":";
    this.promises = promises;
  }

  @Override
  public @Nullable Object getMember(String key) {
    return switch (key) {
      case "increment" -> (ProxyExecutable) args -> promises.of(
          cluster.counters().addAndGet(prefix + JsApi.string(args, 0), args.length > 1 ? args[1].asLong() : 1, ttl(args, 2)));
      case "get" -> (ProxyExecutable) args -> promises.of(store.get(prefix + JsApi.string(args, 0)));
      case "put" -> (ProxyExecutable) args -> promises.of(store.put(prefix + JsApi.string(args, 0), JsApi.string(args, 1), ttl(args, 2)));
      case "cacheGet" -> (ProxyExecutable) args -> promises.of(
          cluster.cache("script").get(prefix + JsApi.string(args, 0)).map(b -> b == null ? null : b.toString()));
      case "cachePut" -> (ProxyExecutable) args -> promises.of(
          cluster.cache("script").put(prefix + JsApi.string(args, 0), Buffer.buffer(JsApi.string(args, 1)), ttl(args, 2)));
      default -> null;
    };
  }

  private static Duration ttl(Value[] args, int i) {
    long ms = args.length > i && args[i].fitsInLong() ? args[i].asLong() : 60_000;
    if (ms <= 0) {
      throw new IllegalArgumentException("the time-to-live must be > 0 milliseconds");
    }
    return Duration.ofMillis(ms);
  }
}
