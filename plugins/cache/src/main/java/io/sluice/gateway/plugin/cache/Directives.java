// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.cache;

import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The {@code Cache-Control} directives of a request or a response (RFC 9111 §5.2), parsed once. Delta-seconds are
 * in seconds; -1 means absent. Where a directive appears twice, the first occurrence counts (§4.2.1); an invalid
 * delta-seconds value counts as 0, which makes a response stale (§1.2.2), and values beyond 2^31 are capped at
 * 2147483648 (§1.2.2). Field-name arguments of {@code private} and {@code no-cache} are not honoured one by one:
 * the directive then applies to the whole response, which is the conservative reading the RFC allows.
 */
final class Directives {

  static final long CAP = 2147483648L;
  static final Directives NONE = new Directives();

  long maxAge = -1;
  long sMaxAge = -1;
  long maxStale = -1;
  long minFresh = -1;
  long staleWhileRevalidate = -1;
  long staleIfError = -1;
  boolean noStore;
  boolean noCache;
  boolean isPrivate;
  boolean isPublic;
  boolean mustRevalidate;
  boolean proxyRevalidate;
  boolean onlyIfCached;

  /** Parses every {@code Cache-Control} line; {@code pragma} ({@code no-cache}) counts only without one (§5.4). */
  static Directives parse(List<String> cacheControl, @Nullable String pragma) {
    if (cacheControl.isEmpty()) {
      if (pragma != null && pragma.toLowerCase(Locale.ROOT).contains("no-cache")) {
        Directives d = new Directives();
        d.noCache = true;
        return d;
      }
      return NONE;
    }
    Directives d = new Directives();
    for (String line : cacheControl) {
      d.parseLine(line);
    }
    return d;
  }

  private void parseLine(String s) {
    int i = 0;
    int n = s.length();
    while (i < n) {
      while (i < n && (s.charAt(i) == ',' || s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
        i++;
      }
      int start = i;
      while (i < n && s.charAt(i) != '=' && s.charAt(i) != ',') {
        i++;
      }
      String name = s.substring(start, i).trim().toLowerCase(Locale.ROOT);
      String value = null;
      if (i < n && s.charAt(i) == '=') {
        i++;
        if (i < n && s.charAt(i) == '"') {
          int close = s.indexOf('"', i + 1);
          close = close < 0 ? n : close;
          value = s.substring(i + 1, close);
          i = Math.min(n, close + 1);
          while (i < n && s.charAt(i) != ',') {
            i++;
          }
        } else {
          int vs = i;
          while (i < n && s.charAt(i) != ',') {
            i++;
          }
          value = s.substring(vs, i).trim();
        }
      }
      if (!name.isEmpty()) {
        apply(name, value);
      }
    }
  }

  private void apply(String name, @Nullable String value) {
    switch (name) {
      case "max-age" -> maxAge = maxAge >= 0 ? maxAge : seconds(value);
      case "s-maxage" -> sMaxAge = sMaxAge >= 0 ? sMaxAge : seconds(value);
      case "max-stale" -> maxStale = maxStale >= 0 ? maxStale : value == null ? CAP : seconds(value);
      case "min-fresh" -> minFresh = minFresh >= 0 ? minFresh : seconds(value);
      case "stale-while-revalidate" ->
          staleWhileRevalidate = staleWhileRevalidate >= 0 ? staleWhileRevalidate : seconds(value);
      case "stale-if-error" -> staleIfError = staleIfError >= 0 ? staleIfError : seconds(value);
      case "no-store" -> noStore = true;
      case "no-cache" -> noCache = true;
      case "private" -> isPrivate = true;
      case "public" -> isPublic = true;
      case "must-revalidate" -> mustRevalidate = true;
      case "proxy-revalidate" -> proxyRevalidate = true;
      case "only-if-cached" -> onlyIfCached = true;
      default -> { } // unknown directives are ignored (§5.2.3)
    }
  }

  /** Delta-seconds (§1.2.2): digits only; anything else is 0 (stale), an overflow is capped. */
  static long seconds(@Nullable String value) {
    if (value == null || value.isEmpty()) {
      return 0;
    }
    long v = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return 0;
      }
      v = v * 10 + (c - '0');
      if (v > CAP) {
        return CAP;
      }
    }
    return v;
  }
}
