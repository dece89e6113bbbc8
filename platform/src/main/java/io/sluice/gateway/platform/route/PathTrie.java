// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.route;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The routes of one host, in a trie keyed by path segment. A lookup walks the request's segments once,
 * preferring at each level a literal child, then a named-segment child, then a catch-all, and backtracks
 * only when a deeper branch has no route that accepts the request; so its cost depends on the path's depth,
 * not on how many routes there are. The first route found is the most specific one:
 *
 * <ol>
 *   <li>at the first segment where two patterns differ, literal beats {@code {param}} beats catch-all;
 *   <li>a longer catch-all prefix beats a shorter one;
 *   <li>on the same pattern, the route with more constraints (methods, headers, query) wins;
 *   <li>then the route that comes first in the configuration.
 * </ol>
 */
final class PathTrie {

  private static final Comparator<Route> SPECIFICITY =
      Comparator.comparingInt(Route::constraints).reversed().thenComparingInt(Route::order);

  private static final class Node {
    final Map<String, Node> literals = new HashMap<>(4);
    @Nullable Node param;
    final List<Route> exact = new ArrayList<>(1);
    final List<Route> catchAll = new ArrayList<>(1);
  }

  private final Node root = new Node();
  private int maxDepth;

  void add(Route route) {
    Node node = root;
    List<PathPattern.Segment> segments = route.pattern().segments();
    for (PathPattern.Segment s : segments) {
      if (s.param()) {
        if (node.param == null) {
          node.param = new Node();
        }
        node = node.param;
      } else {
        node = node.literals.computeIfAbsent(s.value(), k -> new Node());
      }
    }
    List<Route> list = route.pattern().catchAll() != null ? node.catchAll : node.exact;
    list.add(route);
    list.sort(SPECIFICITY);
    maxDepth = Math.max(maxDepth, segments.size());
  }

  /**
   * Finds the most specific route accepting the request, or null. Methods of routes rejected only for their
   * method are added to {@code allowed} when it is given (a second look, for a 405's {@code Allow}).
   *
   * @param segments start and end offsets of each path segment in {@code path}, two ints per segment
   */
  @Nullable Route find(
      String path,
      int[] segments,
      int count,
      HttpMethod method,
      MultiMap headers,
      @Nullable MultiMap query,
      @Nullable Set<HttpMethod> allowed) {
    return find(root, 0, path, segments, count, method, headers, query, allowed);
  }

  private static @Nullable Route find(
      Node node,
      int i,
      String path,
      int[] segments,
      int count,
      HttpMethod method,
      MultiMap headers,
      @Nullable MultiMap query,
      @Nullable Set<HttpMethod> allowed) {
    if (i == count) {
      Route r = pick(node.exact, method, headers, query, allowed);
      if (r != null) {
        return r;
      }
    } else {
      int start = segments[2 * i];
      int end = segments[2 * i + 1];
      if (!node.literals.isEmpty()) {
        Node literal = node.literals.get(path.substring(start, end));
        if (literal != null) {
          Route r = find(literal, i + 1, path, segments, count, method, headers, query, allowed);
          if (r != null) {
            return r;
          }
        }
      }
      if (node.param != null && end > start) {
        Route r = find(node.param, i + 1, path, segments, count, method, headers, query, allowed);
        if (r != null) {
          return r;
        }
      }
    }
    return pick(node.catchAll, method, headers, query, allowed);
  }

  private static @Nullable Route pick(
      List<Route> routes, HttpMethod method, MultiMap headers, @Nullable MultiMap query,
      @Nullable Set<HttpMethod> allowed) {
    for (int i = 0, n = routes.size(); i < n; i++) {
      Route r = routes.get(i);
      if (!r.matchesHeadersAndQuery(headers, query)) {
        continue;
      }
      if (!r.methods().isEmpty() && !r.methods().contains(method)) {
        if (allowed != null) {
          allowed.addAll(r.methods());
        }
        continue;
      }
      return r;
    }
    return null;
  }
}
