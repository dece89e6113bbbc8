// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.route;

import io.sluice.gateway.platform.config.PathParameters;
import io.sluice.gateway.platform.config.ServerConfig;

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
 *   <li>percent-encoded bytes above 0x7F must form valid, shortest-form UTF-8 ({@code %c0%ae} is refused), and
 *       raw non-ASCII characters are refused ({@code rejectInvalidUtf8});
 *   <li>an encoded {@code %} that encodes a dot, slash, backslash or NUL a second time ({@code %252e}) is
 *       refused ({@code rejectDoubleEncoding}): a backend that decodes twice would see {@code ..};
 *   <li>{@code ;} parameters on {@code .} and {@code ..} segments ({@code /..;/admin}), or anywhere, per the
 *       {@link PathParameters} policy: servlet containers strip them before resolving dot segments;
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
  private final PathParameters pathParameters;
  private final boolean rejectDoubleEncoding;
  private final boolean rejectInvalidUtf8;

  /** With the safe defaults for path parameters, double encoding and UTF-8. */
  public PathNormalizer(boolean mergeSlashes, EscapedSlashes escapedSlashes) {
    this(mergeSlashes, escapedSlashes, PathParameters.REJECT_ON_DOT_SEGMENTS, true, true);
  }

  public PathNormalizer(boolean mergeSlashes, EscapedSlashes escapedSlashes, PathParameters pathParameters,
      boolean rejectDoubleEncoding, boolean rejectInvalidUtf8) {
    this.mergeSlashes = mergeSlashes;
    this.escapedSlashes = escapedSlashes;
    this.pathParameters = pathParameters;
    this.rejectDoubleEncoding = rejectDoubleEncoding;
    this.rejectInvalidUtf8 = rejectInvalidUtf8;
  }

  /** The normaliser a listener's settings ask for. */
  public static PathNormalizer of(ServerConfig server) {
    return new PathNormalizer(server.mergeSlashes(), server.escapedSlashes(), server.pathParameters(),
        server.rejectDoubleEncoding(), server.rejectInvalidUtf8());
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
    if (rejectDoubleEncoding) {
      checkDoubleEncoding(decoded);
    }
    if (pathParameters != PathParameters.ALLOW) {
      checkParameters(decoded);
    }
    return removeDotSegments(mergeSlashes ? merge(decoded) : decoded);
  }

  /** True when the path has no escapes, no dot segments, no empty segments and no forbidden characters. */
  private boolean isCanonical(String p) {
    int n = p.length();
    for (int i = 0; i < n; i++) {
      char c = p.charAt(i);
      if (c == '%' || c <= 0x20 || c >= 0x7f || c == '\\' || (c == ';' && pathParameters != PathParameters.ALLOW)) {
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
      if (c > 0x7e && rejectInvalidUtf8) {
        throw new InvalidPathException("PATH_INVALID_UTF8",
            "the request path contains a raw non-ASCII character (percent-encode it as UTF-8)");
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
      } else if (decoded >= 0x80 && rejectInvalidUtf8) {
        i = appendUtf8(p, i - 2, decoded, sb);
      } else {
        sb.append('%').append(Character.toUpperCase(p.charAt(i - 1))).append(Character.toUpperCase(p.charAt(i)));
      }
    }
    return sb.toString();
  }

  /**
   * Checks the UTF-8 sequence whose lead byte {@code lead} is escaped at {@code at} (RFC 3629: no overlong
   * forms, no surrogates, nothing above U+10FFFF) and appends its escapes upper-cased.
   *
   * @return the index of the last character of the sequence
   */
  private static int appendUtf8(String p, int at, int lead, StringBuilder sb) {
    int more;
    int min = 0x80;
    int max = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      more = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      more = 2;
      min = lead == 0xE0 ? 0xA0 : 0x80;
      max = lead == 0xED ? 0x9F : 0xBF;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      more = 3;
      min = lead == 0xF0 ? 0x90 : 0x80;
      max = lead == 0xF4 ? 0x8F : 0xBF;
    } else {
      throw invalidUtf8();
    }
    appendEscape(p, at, sb);
    int i = at + 3;
    for (int k = 0; k < more; k++, i += 3) {
      int b = escapedByte(p, i);
      if (b < min || b > max) {
        throw invalidUtf8();
      }
      min = 0x80;
      max = 0xBF;
      appendEscape(p, i, sb);
    }
    return i - 1;
  }

  private static int escapedByte(String p, int i) {
    if (i + 2 >= p.length() || p.charAt(i) != '%') {
      return -1;
    }
    int hi = Character.digit(p.charAt(i + 1), 16);
    int lo = Character.digit(p.charAt(i + 2), 16);
    return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
  }

  private static void appendEscape(String p, int i, StringBuilder sb) {
    sb.append('%').append(Character.toUpperCase(p.charAt(i + 1))).append(Character.toUpperCase(p.charAt(i + 2)));
  }

  private static InvalidPathException invalidUtf8() {
    return new InvalidPathException("PATH_INVALID_UTF8",
        "the request path has percent-encoded bytes that are not valid UTF-8 (overlong or truncated sequences are refused)");
  }

  /** {@code %25} followed by the escape of a dot, slash, backslash or NUL: a second decoding would reveal it. */
  private static void checkDoubleEncoding(String decoded) {
    for (int i = decoded.indexOf("%25"); i >= 0; i = decoded.indexOf("%25", i + 1)) {
      if (i + 4 < decoded.length()) {
        char a = decoded.charAt(i + 3);
        char b = Character.toUpperCase(decoded.charAt(i + 4));
        if ((a == '2' && (b == 'E' || b == 'F')) || (a == '5' && b == 'C') || (a == '0' && b == '0')) {
          throw new InvalidPathException("PATH_DOUBLE_ENCODED",
              "the request path encodes a dot, slash or NUL twice (%25 followed by its escape)");
        }
      }
    }
  }

  /** {@code ;} per the {@link PathParameters} policy. */
  private void checkParameters(String decoded) {
    int semi = decoded.indexOf(';');
    if (semi < 0) {
      return;
    }
    if (pathParameters == PathParameters.REJECT) {
      throw new InvalidPathException("PATH_PARAMETERS", "the request path contains ';' (path parameters are refused)");
    }
    for (; semi >= 0; semi = decoded.indexOf(';', semi + 1)) {
      int segmentStart = decoded.lastIndexOf('/', semi) + 1;
      int len = semi - segmentStart;
      if ((len == 1 || len == 2) && decoded.charAt(segmentStart) == '.' && decoded.charAt(semi - 1) == '.') {
        throw new InvalidPathException("PATH_PARAMETERS",
            "the request path has a dot segment with ';' parameters (such as '..;'), which some backends resolve");
      }
    }
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
