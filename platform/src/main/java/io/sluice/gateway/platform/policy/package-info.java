// SPDX-License-Identifier: Apache-2.0
/**
 * Policy chains: the registry of policy factories, the assembly of each route's chain (stage, then
 * configuration order) at load time, and the per-exchange run that enforces the chain's invariants.
 */
@NullMarked
package io.sluice.gateway.platform.policy;

import org.jspecify.annotations.NullMarked;
