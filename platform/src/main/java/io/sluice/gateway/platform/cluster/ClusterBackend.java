// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.cluster;

import io.sluice.gateway.api.cluster.ClusterServices;

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

  /** Leaves the cluster (a Hazelcast member hands its partitions over first). Blocking; the local one does nothing. */
  @Override
  default void close() {}
}
