// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.route;

import io.sluice.gateway.api.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How a route turns the (normalised) request path into the upstream path: unchanged, with the prefix before
 * the catch-all stripped, or rewritten from a template over the captured segments. A template is compiled
 * once; applying it is a few appends.
 */
final class UpstreamPath {

  private enum Kind {
    UNCHANGED,
    STRIP_PREFIX,
    TEMPLATE
  }

  private final Kind kind;
  private final @Nullable String catchAll;
  private final List<String> literals;
  private final List<String> params;

  private UpstreamPath(Kind kind, @Nullable String catchAll, List<String> literals, List<String> params) {
    this.kind = kind;
    this.catchAll = catchAll;
    this.literals = literals;
    this.params = params;
  }

  static UpstreamPath unchanged() {
    return new UpstreamPath(Kind.UNCHANGED, null, List.of(), List.of());
  }

  /**
   * @throws ConfigException (path {@code stripPrefix}) when the pattern has no catch-all
   */
  static UpstreamPath stripPrefix(PathPattern pattern) {
    if (pattern.catchAll() == null) {
      throw new ConfigException("stripPrefix", "needs a path ending in a catch-all ('/**' or '/{*name}')");
    }
    return new UpstreamPath(Kind.STRIP_PREFIX, pattern.catchAll(), List.of(), List.of());
  }

  /**
   * Compiles {@code /v2/users/{id}}: literal text and {@code {name}} placeholders naming captures of the
   * pattern ({@code {**}} for an anonymous catch-all).
   *
   * @throws ConfigException (path {@code rewrite}) when a placeholder is malformed or captures nothing
   */
  static UpstreamPath template(String template, PathPattern pattern) {
    List<String> literals = new ArrayList<>();
    List<String> params = new ArrayList<>();
    int from = 0;
    while (true) {
      int open = template.indexOf('{', from);
      if (open < 0) {
        literals.add(template.substring(from));
        break;
      }
      int close = template.indexOf('}', open);
      if (close < 0) {
        throw new ConfigException("rewrite", "'" + template + "' has an unclosed '{'");
      }
      String name = template.substring(open + 1, close);
      if (!pattern.captures(name)) {
        throw new ConfigException(
            "rewrite", "'" + template + "' uses {" + name + "}, which path '" + pattern.text() + "' does not capture");
      }
      literals.add(template.substring(from, open));
      params.add(name);
      from = close + 1;
    }
    for (String literal : literals) {
      if (literal.indexOf('}') >= 0) {
        throw new ConfigException("rewrite", "'" + template + "' has a '}' without '{'");
      }
    }
    return new UpstreamPath(Kind.TEMPLATE, null, List.copyOf(literals), List.copyOf(params));
  }

  /**
   * The upstream path for a matched request.
   *
   * @param path the normalised request path
   * @param captures what the pattern captured
   */
  String apply(String path, Map<String, String> captures) {
    switch (kind) {
      case UNCHANGED:
        return path;
      case STRIP_PREFIX:
        String rest = captures.getOrDefault(catchAll, "");
        return "/" + rest;
      default:
        StringBuilder sb = new StringBuilder(path.length() + 16);
        for (int i = 0; i < params.size(); i++) {
          sb.append(literals.get(i)).append(captures.getOrDefault(params.get(i), ""));
        }
        sb.append(literals.get(literals.size() - 1));
        String result = sb.toString();
        return result.isEmpty() ? "/" : result;
    }
  }
}
