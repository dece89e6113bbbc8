// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.sluice.gateway.platform.http.FieldLines;
import io.sluice.gateway.platform.http.HeaderNameSet;
import io.sluice.gateway.platform.http.NettyHeaders;
import io.vertx.core.MultiMap;
import java.util.Iterator;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Headers that describe one connection, not the message, and must not be forwarded (RFC 9110 §7.6.1): the
 * fixed list below, plus every header named in {@code Connection}.
 */
final class HopByHopHeaders {

  /** The fixed hop-by-hop headers. */
  static final HeaderNameSet FIXED =
      HeaderNameSet.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "proxy-authenticate",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "http2-settings");

  private HopByHopHeaders() {}

  /**
   * Copies end-to-end headers from {@code from} to {@code to}, skipping HTTP/2 pseudo-headers, those in
   * {@code skip} (which includes {@link #FIXED}: build it with {@code FIXED.plus(...)}) and those named in
   * {@code Connection}.
   *
   * <p>When {@code from} is, or is a view of, Netty's {@code HttpHeaders} ({@link NettyHeaders}: the server request's
   * headers and the upstream response's, HTTP/1), names and values move as the decoder made them
   * ({@code AsciiString} names, immutable), without a {@code String} or an entry object per header; other maps
   * (HTTP/2) go through their {@code String} view.
   */
  static void copy(MultiMap from, MultiMap to, HeaderNameSet skip) {
    String connection = FieldLines.joined(from, HttpHeaderNames.CONNECTION);
    if (connection != null && listsOnlyKeepAlive(connection)) {
      // The common case: the only name it lists, Keep-Alive, is in FIXED anyway; skip the per-header scan.
      connection = null;
    }
    HttpHeaders netty = NettyHeaders.of(from);
    if (netty != null) {
      for (Iterator<Map.Entry<CharSequence, CharSequence>> it = netty.iteratorCharSequence(); it.hasNext(); ) {
        Map.Entry<CharSequence, CharSequence> e = it.next();
        CharSequence name = e.getKey();
        if (forwards(name, skip, connection)) {
          to.add(name, e.getValue());
        }
      }
      return;
    }
    for (Map.Entry<String, String> e : from) {
      String name = e.getKey();
      if (forwards(name, skip, connection)) {
        to.add(name, e.getValue());
      }
    }
  }

  /** Whether the header {@code name} goes on: not a pseudo-header, not in {@code skip}, not named in {@code connection}. */
  private static boolean forwards(CharSequence name, HeaderNameSet skip, @Nullable String connection) {
    if (name.isEmpty() || name.charAt(0) == ':' || skip.contains(name)) {
      return false;
    }
    return connection == null || !listsToken(connection, name.toString());
  }

  /** Whether a {@code Connection} value lists nothing but {@code keep-alive}. */
  static boolean listsOnlyKeepAlive(String connection) {
    for (int i = 0; i < connection.length(); i = next(connection, i)) {
      long t = trimmed(connection, i);
      int s = (int) (t >>> 32);
      int e = (int) t;
      if (e > s && !(e - s == 10 && connection.regionMatches(true, s, "keep-alive", 0, 10))) {
        return false;
      }
    }
    return true;
  }

  /** Whether the comma-separated {@code header} value lists {@code token} (case-insensitive). */
  static boolean listsToken(String header, String token) {
    for (int i = 0; i < header.length(); i = next(header, i)) {
      long t = trimmed(header, i);
      int s = (int) (t >>> 32);
      int e = (int) t;
      if (e - s == token.length() && header.regionMatches(true, s, token, 0, token.length())) {
        return true;
      }
    }
    return false;
  }

  /** Where the list element after the one starting at {@code from} starts. */
  private static int next(String header, int from) {
    int comma = header.indexOf(',', from);
    return comma < 0 ? header.length() : comma + 1;
  }

  /** Optional whitespace (RFC 9110 §5.6.3): space or horizontal tab. */
  private static boolean ows(char c) {
    return c == ' ' || c == '\t';
  }

  /** The element starting at {@code from} without surrounding whitespace: start {@code << 32 |} end. */
  private static long trimmed(String header, int from) {
    int comma = header.indexOf(',', from);
    int e = comma < 0 ? header.length() : comma;
    int s = from;
    while (s < e && ows(header.charAt(s))) {
      s++;
    }
    while (e > s && ows(header.charAt(e - 1))) {
      e--;
    }
    return ((long) s << 32) | e;
  }
}
