// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api.cluster;

/**
 * What one {@link Counters#take} call got.
 *
 * @param granted the units taken, from 0 to the number asked for (negative when units were given back)
 * @param remaining the units still available under the budget right after this call, across all nodes
 */
public record Grant(long granted, long remaining) {}
