// SPDX-License-Identifier: Apache-2.0
/**
 * The {@code cache} policy: an HTTP shared cache (RFC 9111) in front of the upstream, storing responses through
 * the cluster facade's {@link io.sluice.gateway.api.cluster.Cache} so that every node of a cluster reads what one
 * node stored. See docs/caching.md.
 */
@NullMarked
package io.sluice.gateway.plugin.cache;

import org.jspecify.annotations.NullMarked;
