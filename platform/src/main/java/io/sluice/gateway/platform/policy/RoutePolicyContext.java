// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.policy;

import io.sluice.gateway.api.PolicyContext;
import io.sluice.gateway.api.cluster.ClusterServices;
import io.vertx.core.Vertx;

/** The context a factory sees for one route and policy type. */
public record RoutePolicyContext(String routeId, Vertx vertx, ClusterServices cluster) implements PolicyContext {}
