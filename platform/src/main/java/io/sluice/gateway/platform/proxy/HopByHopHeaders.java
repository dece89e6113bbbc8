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
    int n = connection.length();
    int i = 0;
    while (i < n) {
      int comma = connection.indexOf(',', i);
      int end = comma < 0 ? n : comma;
      int s = i;
      int e = end;
      while (s < e && connection.charAt(s) == ' ') {
        s++;
      }
      while (e > s && connection.charAt(e - 1) == ' ') {
        e--;
      }
      int len = e - s;
      boolean keepAlive = (len == 10 && connection.regionMatches(true, s, "keep-alive", 0, 10)) || len == 0;
      if (!keepAlive) {
        return false;
      }
      i = end + 1;
    }
    return true;
  }

  /** Whether the comma-separated {@code header} value lists {@code token} (case-insensitive). */
  static boolean listsToken(String header, String token) {
    int i = 0;
    int n = header.length();
    while (i < n) {
      int comma = header.indexOf(',', i);
      int end = comma < 0 ? n : comma;
      int s = i;
      int e = end;
      while (s < e && header.charAt(s) == ' ') {
        s++;
      }
      while (e > s && header.charAt(e - 1) == ' ') {
        e--;
      }
      if (e - s == token.length() && header.regionMatches(true, s, token, 0, token.length())) {
        return true;
      }
      i = end + 1;
    }
    return false;
  }
}
