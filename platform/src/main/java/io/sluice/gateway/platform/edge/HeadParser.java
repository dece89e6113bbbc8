// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.edge;

import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

/**
 * Parses one complete HTTP/1 request head strictly (RFC 9112) and decides its body length once (§6.3). It
 * accepts a strict subset of what Netty's decoder accepts, so the two never disagree about where a message
 * ends: anything ambiguous is refused.
 *
 * <ul>
 *   <li>request line: {@code token SP origin-form SP HTTP/1.x}, single spaces, printable ASCII target;
 *   <li>header fields: token names directly followed by {@code :}; no obs-fold; no control characters (bare
 *       CR, NUL, ...) in values; at most {@link HeadLimits#maxHeaderCount()} fields;
 *   <li>{@code Content-Length}: one field, digits only; {@code Transfer-Encoding}: one field, exactly
 *       {@code chunked}, HTTP/1.1 only, never together with {@code Content-Length};
 *   <li>{@code Host}: exactly one on HTTP/1.1 (at most one on 1.0), a valid {@code host[:port]}.
 * </ul>
 *
 * Lines must end in CRLF: Netty 4.2's decoder refuses a bare LF, so the edge does too (RFC 9112 §2.2 leaves it
 * to the recipient), and a bare CR anywhere is refused.
 */
final class HeadParser {

  private static final boolean[] TCHAR = new boolean[128];

  static {
    for (char c = '0'; c <= '9'; c++) {
      TCHAR[c] = true;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      TCHAR[c] = true;
      TCHAR[c - 32] = true;
    }
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
      TCHAR[c] = true;
    }
  }

  private final HeadLimits limits;

  HeadParser(HeadLimits limits) {
    this.limits = limits;
  }

  /** {@link #findEnd} found a line ending in a bare LF. */
  static final int BARE_LF = -2;

  /**
   * Where the head starting at {@code from} ends: the index after the CRLF of its empty line; -1 when the
   * empty line is not in {@code [from, to)} yet; {@link #BARE_LF} when a line ends in LF without CR.
   */
  static int findEnd(ByteBuf b, int from, int to) {
    int i = b.indexOf(from, to, (byte) '\n');
    while (i >= 0) {
      if (i == from || b.getByte(i - 1) != '\r') {
        return BARE_LF;
      }
      if (i + 2 < to && b.getByte(i + 1) == '\r' && b.getByte(i + 2) == '\n') {
        return i + 3;
      }
      i = i + 1 < to ? b.indexOf(i + 1, to, (byte) '\n') : -1;
    }
    return -1;
  }

  /** The refusal for a head with a line that ends in a bare LF. */
  static GuardedRequest bareLf(ByteBuf b, int from, int to) {
    return refuse(Refusal.badRequest("REQUEST_LINE_INVALID", "request lines must end in CRLF"), b, from, to);
  }

  /**
   * Whether an incomplete head in {@code [from, to)} already breaks a size limit.
   *
   * @return the refusal, or null while it may still grow
   */
  @Nullable GuardedRequest checkIncomplete(ByteBuf b, int from, int to) {
    int lf = b.indexOf(from, to, (byte) '\n');
    int lineLength = (lf < 0 ? to : lf) - from;
    if (lineLength > limits.maxRequestLine() + 1) {
      return refuse(new Refusal(414, "URI_TOO_LONG", "the request line is too long"), b, from, to);
    }
    if (lf >= 0 && to - lf - 1 > limits.maxHeaderBytes()) {
      return refuse(new Refusal(431, "HEADERS_TOO_LARGE", "the request headers are too large"), b, from, to);
    }
    return null;
  }

  /** Parses the complete head {@code [start, end)} ({@code end} as returned by {@link #findEnd}). */
  GuardedRequest parse(ByteBuf b, int start, int end) {
    int i = start;
    while (i < end && tchar(b.getByte(i))) {
      i++;
    }
    if (i == start || b.getByte(i) != ' ') {
      return refuse(Refusal.badRequest("REQUEST_LINE_INVALID", "the request line is malformed"), b, start, end);
    }
    int targetStart = ++i;
    while (i < end && visible(b.getByte(i))) {
      i++;
    }
    if (i == targetStart || b.getByte(i) != ' ') {
      return refuse(Refusal.badRequest("REQUEST_LINE_INVALID",
          "the request line is malformed (the target must be printable ASCII, separated by single spaces)"), b, start, end);
    }
    if (b.getByte(targetStart) != '/') {
      return refuse(Refusal.badRequest("REQUEST_TARGET_INVALID",
          "only origin-form request targets (/path?query) are accepted"), b, start, end);
    }
    int versionStart = ++i;
    int lf = b.indexOf(versionStart, end, (byte) '\n');
    int lineEnd = lf > versionStart && b.getByte(lf - 1) == '\r' ? lf - 1 : lf;
    if (lineEnd - start > limits.maxRequestLine()) {
      return refuse(new Refusal(414, "URI_TOO_LONG", "the request line is too long"), b, start, end);
    }
    boolean http10;
    if (lineEnd - versionStart == 8 && isHttp1(b, versionStart)) {
      byte minor = b.getByte(versionStart + 7);
      if (minor != '0' && minor != '1') {
        return refuse(new Refusal(505, "HTTP_VERSION_NOT_SUPPORTED", "only HTTP/1.0, HTTP/1.1 and HTTP/2 are supported"),
            b, start, end);
      }
      http10 = minor == '0';
    } else if (lineEnd - versionStart == 8 && isHttpVersion(b, versionStart)) {
      return refuse(new Refusal(505, "HTTP_VERSION_NOT_SUPPORTED", "only HTTP/1.0, HTTP/1.1 and HTTP/2 are supported"),
          b, start, end);
    } else {
      return refuse(Refusal.badRequest("REQUEST_LINE_INVALID", "the request line has no valid HTTP version"), b, start, end);
    }

    i = lf + 1;
    if (end - i > limits.maxHeaderBytes() + 2) {
      return refuse(new Refusal(431, "HEADERS_TOO_LARGE", "the request headers are too large"), b, start, end);
    }
    int fields = 0;
    int contentLengths = 0;
    int transferEncodings = 0;
    int hosts = 0;
    long contentLength = -1;
    while (true) {
      int le = b.indexOf(i, end, (byte) '\n');
      int stop = le > i && b.getByte(le - 1) == '\r' ? le - 1 : le;
      if (stop == i) {
        break;
      }
      byte first = b.getByte(i);
      byte afterLine = le + 1 < end ? b.getByte(le + 1) : 0;
      if (first == ' ' || first == '\t' || afterLine == ' ' || afterLine == '\t') {
        return refuse(Refusal.badRequest("HEADER_INVALID",
            "a header line starts with whitespace (obs-fold is not accepted)"), b, start, end);
      }
      if (++fields > limits.maxHeaderCount()) {
        return refuse(new Refusal(431, "TOO_MANY_HEADERS",
            "more than " + limits.maxHeaderCount() + " request header fields"), b, start, end);
      }
      int n = i;
      while (n < stop && tchar(b.getByte(n))) {
        n++;
      }
      if (n == i || n == stop || b.getByte(n) != ':') {
        return refuse(Refusal.badRequest("HEADER_INVALID",
            "a header name is malformed (a token directly followed by ':')"), b, start, end);
      }
      int vs = n + 1;
      while (vs < stop && ows(b.getByte(vs))) {
        vs++;
      }
      int ve = stop;
      while (ve > vs && ows(b.getByte(ve - 1))) {
        ve--;
      }
      for (int k = vs; k < ve; k++) {
        byte c = b.getByte(k);
        if (control(c)) {
          return refuse(Refusal.badRequest("HEADER_INVALID",
              "header " + ascii(b, i, n) + " has a control character in its value"), b, start, end);
        }
      }
      int nameLength = n - i;
      if (nameLength == 14 && equalsIgnoreCase(b, i, "content-length")) {
        if (++contentLengths > 1) {
          return refuse(Refusal.badRequest("CONTENT_LENGTH_INVALID", "more than one Content-Length"), b, start, end);
        }
        contentLength = digits(b, vs, ve);
        if (contentLength < 0) {
          return refuse(Refusal.badRequest("CONTENT_LENGTH_INVALID", "Content-Length must be a decimal number"),
              b, start, end);
        }
      } else if (nameLength == 17 && equalsIgnoreCase(b, i, "transfer-encoding")) {
        if (++transferEncodings > 1) {
          return refuse(Refusal.badRequest("TRANSFER_ENCODING_INVALID", "more than one Transfer-Encoding"),
              b, start, end);
        }
        if (ve - vs != 7 || !equalsIgnoreCase(b, vs, "chunked")) {
          return refuse(new Refusal(501, "TRANSFER_CODING_UNSUPPORTED",
              "the only transfer coding accepted is chunked"), b, start, end);
        }
      } else if (nameLength == 4 && equalsIgnoreCase(b, i, "host")) {
        if (++hosts > 1) {
          return refuse(Refusal.badRequest("HOST_INVALID", "more than one Host"), b, start, end);
        }
        if (!validHost(b, vs, ve)) {
          return refuse(Refusal.badRequest("HOST_INVALID", "the Host header is not a valid host[:port]"), b, start, end);
        }
      }
      i = le + 1;
    }
    if (transferEncodings > 0) {
      if (http10) {
        return refuse(Refusal.badRequest("TRANSFER_ENCODING_INVALID",
            "Transfer-Encoding is not accepted on HTTP/1.0"), b, start, end);
      }
      if (contentLengths > 0) {
        return refuse(Refusal.badRequest("TRANSFER_ENCODING_INVALID",
            "Transfer-Encoding and Content-Length together are ambiguous"), b, start, end);
      }
      return GuardedRequest.accepted(GuardedRequest.CHUNKED);
    }
    if (hosts == 0 && !http10) {
      return refuse(Refusal.badRequest("HOST_INVALID", "HTTP/1.1 requests must have a Host header"), b, start, end);
    }
    return GuardedRequest.accepted(contentLength < 0 ? 0 : contentLength);
  }

  /** A refusal with the method and target as far as they can be read, for the access log. */
  static GuardedRequest refuse(Refusal refusal, ByteBuf b, int start, int end) {
    int sp = b.indexOf(start, Math.min(end, start + 32), (byte) ' ');
    String method = sp < 0 ? "" : ascii(b, start, sp);
    String target = "";
    if (sp >= 0) {
      int t = sp + 1;
      int stop = t;
      while (stop < end && stop - t < 256 && visible(b.getByte(stop))) {
        stop++;
      }
      target = ascii(b, t, stop);
    }
    return GuardedRequest.refused(refusal, method, target);
  }

  private static boolean isHttp1(ByteBuf b, int i) {
    return b.getByte(i) == 'H' && b.getByte(i + 1) == 'T' && b.getByte(i + 2) == 'T' && b.getByte(i + 3) == 'P'
        && b.getByte(i + 4) == '/' && b.getByte(i + 5) == '1' && b.getByte(i + 6) == '.';
  }

  private static boolean isHttpVersion(ByteBuf b, int i) {
    return b.getByte(i) == 'H' && b.getByte(i + 1) == 'T' && b.getByte(i + 2) == 'T' && b.getByte(i + 3) == 'P'
        && b.getByte(i + 4) == '/' && digit(b.getByte(i + 5)) && b.getByte(i + 6) == '.' && digit(b.getByte(i + 7));
  }

  /** 1 to 18 decimal digits, or -1. */
  private static long digits(ByteBuf b, int from, int to) {
    if (to <= from || to - from > 18) {
      return -1;
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      byte c = b.getByte(i);
      if (!digit(c)) {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** {@code uri-host [":" port]}: a reg-name or IPv4 of unreserved characters, or an IP literal in brackets. */
  static boolean validHost(ByteBuf b, int from, int to) {
    if (from == to) {
      return true; // an empty Host is allowed when the target has no authority (RFC 9112 §3.2)
    }
    int i = from;
    if (b.getByte(i) == '[') {
      i++;
      while (i < to && b.getByte(i) != ']') {
        byte c = b.getByte(i);
        if (!(hex(c) || c == ':' || c == '.')) {
          return false;
        }
        i++;
      }
      if (i == to || i == from + 1) {
        return false;
      }
      i++;
    } else {
      while (i < to && b.getByte(i) != ':') {
        byte c = b.getByte(i);
        if (!(alnum(c) || c == '-' || c == '.' || c == '_' || c == '~')) {
          return false;
        }
        i++;
      }
      if (i == from) {
        return false;
      }
    }
    if (i == to) {
      return true;
    }
    if (b.getByte(i) != ':' || to - i - 1 < 1 || to - i - 1 > 5) {
      return false;
    }
    int port = 0;
    for (int k = i + 1; k < to; k++) {
      byte c = b.getByte(k);
      if (!digit(c)) {
        return false;
      }
      port = port * 10 + (c - '0');
    }
    return port <= 65535;
  }

  private static boolean equalsIgnoreCase(ByteBuf b, int at, String lower) {
    for (int k = 0; k < lower.length(); k++) {
      int c = b.getByte(at + k);
      if (c >= 'A' && c <= 'Z') {
        c += 32;
      }
      if (c != lower.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  static String ascii(ByteBuf b, int from, int to) {
    StringBuilder sb = new StringBuilder(Math.max(0, to - from));
    for (int i = from; i < to; i++) {
      byte c = b.getByte(i);
      sb.append(visible(c) ? (char) c : '?');
    }
    return sb.toString();
  }

  static boolean tchar(byte c) {
    return c > 0 && TCHAR[c];
  }

  /** A control character other than HTAB: never allowed in a field value, chunk extension or trailer. */
  static boolean control(byte c) {
    return (c >= 0 && c < 0x20 && c != '\t') || c == 0x7f;
  }

  /** Printable ASCII, no space. */
  static boolean visible(byte c) {
    return c > 0x20 && c < 0x7f;
  }

  private static boolean ows(byte c) {
    return c == ' ' || c == '\t';
  }

  private static boolean digit(byte c) {
    return c >= '0' && c <= '9';
  }

  private static boolean hex(byte c) {
    return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static boolean alnum(byte c) {
    return digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
