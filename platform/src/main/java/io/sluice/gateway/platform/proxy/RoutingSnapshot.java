// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.proxy;

import io.sluice.gateway.platform.plugin.PluginGeneration;
import io.sluice.gateway.platform.route.RouteTable;

/**
 * What a request is served with, read once at its start: the route table and the plugin generation whose
 * policies the table's chains hold. Swapped whole on every reload.
 */
public record RoutingSnapshot(RouteTable routes, PluginGeneration plugins) {}
