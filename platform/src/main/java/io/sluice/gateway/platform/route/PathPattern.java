// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.route;

import io.sluice.gateway.api.config.ConfigException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A parsed route path: literal segments, named segments ({@code {id}}) and an optional trailing catch-all
 * ({@code **}, or {@code {*name}} to name what it captures). Examples: {@code /health},
 * {@code /users/{id}/orders}, {@code /static/**}, {@code /files/{*path}}.
 *
 * @param text the pattern as written
 * @param segments the segments before the catch-all
 * @param catchAll the catch-all's capture name ({@code "**"} when anonymous), or null when there is none
 */
record PathPattern(String text, List<Segment> segments, @Nullable String catchAll) {

  /** One segment: a literal, or a named parameter that matches any one non-empty segment. */
  public record Segment(String value, boolean param) {}

  /** The capture name of an anonymous {@code **}. */
  public static final String ANONYMOUS_CATCH_ALL = "**";

  /**
   * @throws ConfigException with an empty path when the pattern is malformed
   */
  public static PathPattern parse(String text) {
    if (!text.startsWith("/")) {
      throw new ConfigException("", "'" + text + "' must start with '/'");
    }
    List<Segment> segments = new ArrayList<>();
    Set<String> names = new HashSet<>();
    String catchAll = null;
    String[] parts = text.equals("/") ? new String[0] : text.substring(1).split("/", -1);
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      boolean last = i == parts.length - 1;
      if (part.equals("**") || (part.startsWith("{*") && part.endsWith("}"))) {
        if (!last) {
          throw new ConfigException("", "'" + text + "': a catch-all must be the last segment");
        }
        catchAll = part.equals("**") ? ANONYMOUS_CATCH_ALL : name(text, part.substring(2, part.length() - 1), names);
      } else if (part.startsWith("{") && part.endsWith("}")) {
        segments.add(new Segment(name(text, part.substring(1, part.length() - 1), names), true));
      } else {
        if (part.indexOf('{') >= 0 || part.indexOf('}') >= 0 || part.indexOf('*') >= 0) {
          throw new ConfigException(
              "", "'" + text + "': segment '" + part + "' mixes text and a parameter; a parameter is a whole segment");
        }
        if (part.isEmpty() && !last) {
          throw new ConfigException("", "'" + text + "' has an empty segment ('//')");
        }
        if (part.equals(".") || part.equals("..")) {
          throw new ConfigException("", "'" + text + "' has a dot segment, which never matches a normalised path");
        }
        if (part.indexOf('%') >= 0) {
          throw new ConfigException("", "'" + text + "': write segments decoded, without percent-encoding");
        }
        segments.add(new Segment(part, false));
      }
    }
    return new PathPattern(text, List.copyOf(segments), catchAll);
  }

  private static String name(String text, String name, Set<String> seen) {
    if (name.isEmpty()) {
      throw new ConfigException("", "'" + text + "' has an unnamed parameter '{}'");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!Character.isLetterOrDigit(c) && c != '_' && c != '-') {
        throw new ConfigException("", "'" + text + "': parameter name '" + name + "' may contain only letters, digits, '_' and '-'");
      }
    }
    if (!seen.add(name)) {
      throw new ConfigException("", "'" + text + "' uses parameter '" + name + "' twice");
    }
    return name;
  }

  /** Whether the pattern captures anything (a named segment or a catch-all). */
  public boolean hasParams() {
    return catchAll != null || segments.stream().anyMatch(Segment::param);
  }

  /** Whether {@code name} is captured by this pattern (a named segment or the catch-all). */
  public boolean captures(String name) {
    return name.equals(catchAll) || segments.stream().anyMatch(s -> s.param() && s.value().equals(name));
  }
}
