// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.cluster;

import io.sluice.gateway.api.cluster.ClusterServices;
import io.sluice.gateway.platform.config.ConfigLoader;
import io.sluice.gateway.platform.config.ConfigSource;
import io.sluice.gateway.platform.reload.Reloader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One implementation of the plugins' cluster facade, as the gateway holds it: it hands each policy type its
 * own namespaced {@link ClusterServices} and gets a periodic chance to clean up. The gateway creates exactly
 * one, through {@link ClusterBackends#create}, from {@code cluster.backend}.
 *
 * <p>Every implementation passes {@code io.sluice.gateway.testkit.ClusterServicesContract}: futures complete on
 * the caller's context, store values are limited to {@link io.sluice.gateway.api.cluster.ClusterValues#TYPES},
 * time-to-lives hold.
 */
public interface ClusterBackend extends AutoCloseable {

  /**
   * The facade a policy type sees: its keys, stores and caches are apart from every other namespace's.
   * Cheap; may be called for every policy a configuration creates.
   */
  ClusterServices namespaced(String namespace);

  /**
   * Housekeeping the backend cannot do on its own, such as dropping expired entries; the gateway calls it
   * every few seconds on a worker thread, so it may take a moment. Backends that need none do nothing.
   */
  void sweep();

  /**
   * The configuration source the gateway reads, given its own: the same for a single node; in a cluster,
   * one whose shared sections are the cluster's copy (see docs/clustering.md). Called once, at start.
   */
  default ConfigSource configSource(ConfigSource own, ConfigLoader loader) {
    return own;
  }

  /** Lets the backend follow the reloads (to publish and report configurations); before the first install. */
  default void follow(Reloader reloader, String sluiceVersion) {}

  /** The cluster for {@code GET /admin/cluster}. Blocking: call it on a worker. */
  default JsonObject describe() {
    return new JsonObject().put("backend", "local").put("members", new JsonArray());
  }

  /**
   * A board the nodes publish entries of their own on for the others ({@code name} keeps one use apart from
   * another), or null on a single node, which has no one to tell.
   */
  default @org.jspecify.annotations.Nullable NodeBoard board(String name) {
    return null;
  }

  /** Leaves the cluster (a Hazelcast member hands its partitions over first). Blocking; the local one does nothing. */
  @Override
  default void close() {}
}
