// SPDX-License-Identifier: Apache-2.0
/**
 * Implementations of the plugin API's cluster facade behind one seam: {@link
 * io.sluice.gateway.platform.cluster.ClusterBackend}, chosen by {@code cluster.backend} in {@link
 * io.sluice.gateway.platform.cluster.ClusterBackends}. {@link io.sluice.gateway.platform.cluster.LocalClusterServices}
 * keeps everything in this JVM: the single-node default, needing nothing else. {@link
 * io.sluice.gateway.platform.cluster.HazelcastClusterServices} runs on an embedded Hazelcast member ({@link
 * io.sluice.gateway.platform.cluster.HazelcastMember}) and also shares the configuration between nodes ({@link
 * io.sluice.gateway.platform.cluster.SharedConfigSource}) and reports each node ({@link
 * io.sluice.gateway.platform.cluster.NodeReports}, {@code GET /admin/cluster}); see docs/clustering.md. Every
 * backend passes the test kit's {@code ClusterServicesContract}.
 */
@NullMarked
package io.sluice.gateway.platform.cluster;

import org.jspecify.annotations.NullMarked;
