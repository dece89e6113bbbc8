// SPDX-License-Identifier: Apache-2.0
/**
 * Implementations of the plugin API's cluster facade. {@link io.sluice.gateway.platform.cluster.LocalClusterServices}
 * keeps everything in this JVM: the single-node default, needing nothing else.
 */
@NullMarked
package io.sluice.gateway.platform.cluster;

import org.jspecify.annotations.NullMarked;
