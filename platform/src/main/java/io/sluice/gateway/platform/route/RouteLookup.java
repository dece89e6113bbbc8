// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.route;

import io.vertx.core.http.HttpMethod;
import java.util.Map;
import java.util.Set;

/** The outcome of looking a request up in a {@link RouteTable}. */
public sealed interface RouteLookup {

  /** A route matched. {@code captures} holds what its path pattern captured. */
  record Found(Route route, Map<String, String> captures) implements RouteLookup {}

  /** No route matches the host, path, headers and query: 404. */
  record NotFound() implements RouteLookup {}

  /** Some routes match all but the method: 405 with {@code Allow}. */
  record MethodNotAllowed(Set<HttpMethod> allowed) implements RouteLookup {}

  RouteLookup NOT_FOUND = new NotFound();
}
