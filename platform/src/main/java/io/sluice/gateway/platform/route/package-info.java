// SPDX-License-Identifier: Apache-2.0
/**
 * Routing: path normalisation, path patterns, and the {@link io.sluice.gateway.platform.route.RouteTable} that
 * finds the most specific route for a request in time independent of the number of routes (a host map in
 * front of a segment trie). Route tables are immutable and compiled once per configuration; a reload swaps the
 * whole table.
 */
@NullMarked
package io.sluice.gateway.platform.route;

import org.jspecify.annotations.NullMarked;
