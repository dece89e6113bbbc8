// SPDX-License-Identifier: Apache-2.0
/**
 * Cluster-wide state for policies: counters, a key-value store and a cache. In single-node mode the gateway
 * keeps them in memory; in a cluster they are shared by all nodes. Plugin code is the same either way.
 */
@NullMarked
package io.sluice.gateway.api.cluster;

import org.jspecify.annotations.NullMarked;
