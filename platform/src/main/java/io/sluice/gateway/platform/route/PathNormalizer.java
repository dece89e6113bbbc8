// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.route;

import io.sluice.gateway.platform.config.EscapedSlashes;

/**
 * Normalises a request path before routing, so that a path can reach a route only in its canonical form
 * ({@code /public/../admin} is {@code /admin}, never a {@code /public/**} request):
 *
 * <ol>
 *   <li>percent-encoded unreserved characters are decoded ({@code %41} → {@code A}, {@code %2e} → {@code .},
 *       RFC 3986 §6.2.2.2); other escapes are kept with upper-case hex; malformed escapes and {@code %00} are
 *       refused;
 *   <li>{@code %2F} and {@code %5C} are handled by the {@link EscapedSlashes} policy;
 *   <li>raw control characters, spaces and backslashes are refused;
 *   <li>runs of slashes are merged (when enabled);
 *   <li>{@code .} and {@code ..} segments are removed (RFC 3986 §5.2.4); {@code ..} never climbs above the root.
 * </ol>
 *
 * The upstream receives the normalised path. The common case (nothing to change) returns its input without
 * allocating.
 */
public final class PathNormalizer {

  private final boolean mergeSlashes;
  private final EscapedSlashes escapedSlashes;

  public PathNormalizer(boolean mergeSlashes, EscapedSlashes escapedSlashes) {
    this.mergeSlashes = mergeSlashes;
    this.escapedSlashes = escapedSlashes;
  }

  /**
   * @param rawPath the path as received, without the query string
   * @return the normalised path, starting with {@code /}
   * @throws InvalidPathException when the path is refused
   */
  public String normalize(String rawPath) {
    if (rawPath.isEmpty() || rawPath.charAt(0) != '/') {
      throw new InvalidPathException("PATH_INVALID", "the request path must start with '/'");
    }
    if (isCanonical(rawPath)) {
      return rawPath;
    }
    String decoded = decode(rawPath);
    return removeDotSegments(mergeSlashes ? merge(decoded) : decoded);
  }

  /** True when the path has no escapes, no dot segments, no empty segments and no forbidden characters. */
  private boolean isCanonical(String p) {
    int n = p.length();
    for (int i = 0; i < n; i++) {
      char c = p.charAt(i);
      if (c == '%' || c <= 0x20 || c == 0x7f || c == '\\') {
        return false;
      }
      if (c == '/' && i + 1 < n) {
        char next = p.charAt(i + 1);
        if (next == '/' || (next == '.' && isDotSegment(p, i + 1))) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean isDotSegment(String p, int start) {
    int end = p.indexOf('/', start);
    if (end < 0) {
      end = p.length();
    }
    int len = end - start;
    return (len == 1) || (len == 2 && p.charAt(start + 1) == '.');
  }

  private String decode(String p) {
    StringBuilder sb = new StringBuilder(p.length());
    int n = p.length();
    for (int i = 0; i < n; i++) {
      char c = p.charAt(i);
      if (c <= 0x20 || c == 0x7f) {
        throw new InvalidPathException("PATH_INVALID", "the request path contains a control character or space");
      }
      if (c == '\\') {
        throw new InvalidPathException("PATH_INVALID", "the request path contains a backslash");
      }
      if (c != '%') {
        sb.append(c);
        continue;
      }
      if (i + 2 >= n) {
        throw new InvalidPathException("PATH_INVALID", "the request path has a truncated percent-escape");
      }
      int hi = Character.digit(p.charAt(i + 1), 16);
      int lo = Character.digit(p.charAt(i + 2), 16);
      if (hi < 0 || lo < 0) {
        throw new InvalidPathException("PATH_INVALID", "the request path has a malformed percent-escape");
      }
      char decoded = (char) (hi * 16 + lo);
      i += 2;
      if (decoded == 0) {
        throw new InvalidPathException("PATH_INVALID", "the request path contains %00");
      }
      if (decoded == '/' || decoded == '\\') {
        switch (escapedSlashes) {
          case REJECT ->
              throw new InvalidPathException("PATH_ESCAPED_SLASH", "the request path contains an escaped slash (%2F or %5C)");
          case KEEP -> sb.append('%').append(decoded == '/' ? "2F" : "5C");
          case DECODE -> sb.append('/');
        }
      } else if (isUnreserved(decoded)) {
        sb.append(decoded);
      } else {
        sb.append('%').append(Character.toUpperCase(p.charAt(i - 1))).append(Character.toUpperCase(p.charAt(i)));
      }
    }
    return sb.toString();
  }

  private static boolean isUnreserved(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }

  private static String merge(String p) {
    if (p.indexOf("//") < 0) {
      return p;
    }
    StringBuilder sb = new StringBuilder(p.length());
    char prev = 0;
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c == '/' && prev == '/') {
        continue;
      }
      sb.append(c);
      prev = c;
    }
    return sb.toString();
  }

  /** RFC 3986 §5.2.4 over an absolute path; keeps a trailing slash after a removed dot segment. */
  static String removeDotSegments(String p) {
    if (p.indexOf("/.") < 0) {
      return p;
    }
    String[] parts = p.substring(1).split("/", -1);
    String[] out = new String[parts.length];
    int size = 0;
    boolean trailingSlash = false;
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      boolean last = i == parts.length - 1;
      if (part.equals(".")) {
        trailingSlash = last;
      } else if (part.equals("..")) {
        if (size > 0) {
          size--;
        }
        trailingSlash = last;
      } else {
        out[size++] = part;
        trailingSlash = false;
      }
    }
    StringBuilder sb = new StringBuilder(p.length());
    for (int i = 0; i < size; i++) {
      sb.append('/').append(out[i]);
    }
    if (trailingSlash || sb.length() == 0) {
      sb.append('/');
    }
    return sb.toString();
  }
}
