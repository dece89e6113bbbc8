// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.proxy;

import io.vertx.core.MultiMap;
import io.sluice.gateway.platform.http.HeaderNameSet;

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
   */
  static void copy(MultiMap from, MultiMap to, HeaderNameSet skip) {
    String connection = from.get("connection");
    if (connection != null && listsOnlyKeepAlive(connection)) {
      // The common case: the only name it lists, Keep-Alive, is in FIXED anyway; skip the per-header scan.
      connection = null;
    }
    for (var e : from) {
      String name = e.getKey();
      if (name.isEmpty() || name.charAt(0) == ':') {
        continue;
      }
      if (skip.contains(name)) {
        continue;
      }
      if (connection != null && listsToken(connection, name)) {
        continue;
      }
      to.add(name, e.getValue());
    }
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

  /** The element starting at {@code from} without surrounding spaces: start {@code << 32 |} end. */
  private static long trimmed(String header, int from) {
    int comma = header.indexOf(',', from);
    int e = comma < 0 ? header.length() : comma;
    int s = from;
    while (s < e && header.charAt(s) == ' ') {
      s++;
    }
    while (e > s && header.charAt(e - 1) == ' ') {
      e--;
    }
    return ((long) s << 32) | e;
  }
}
