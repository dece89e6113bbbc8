// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.accesslog;

import org.jspecify.annotations.Nullable;

/**
 * The access log's {@code cache} field from a response's {@code Cache-Status} (RFC 9211): the member of the
 * cache closest to the client (the last one, which is the gateway's own when its cache policy ran) read as
 * {@code hit}, or the reason it went forward ({@code fwd=uri-miss} gives {@code uri-miss}; also
 * {@code vary-miss}, {@code miss}, {@code stale}, {@code request}, {@code bypass}, {@code method}), or
 * {@code unknown}. Only token characters are kept, at most 32: never a header echoed raw. Runs on the access
 * log's writer thread.
 */
final class CacheOutcome {

  private static final int MAX = 32;

  private CacheOutcome() {}

  static @Nullable String of(@Nullable String cacheStatus) {
    if (cacheStatus == null) {
      return null;
    }
    String member = cacheStatus.substring(cacheStatus.lastIndexOf(',') + 1);
    int at = member.indexOf(';');
    while (at >= 0) {
      int next = member.indexOf(';', at + 1);
      String param = member.substring(at + 1, next < 0 ? member.length() : next).trim();
      if (param.equals("hit")) {
        return "hit";
      }
      if (param.startsWith("fwd=")) {
        String reason = token(param.substring(4));
        return reason.isEmpty() ? "unknown" : reason;
      }
      at = next;
    }
    return "unknown";
  }

  private static String token(String s) {
    StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX));
    for (int i = 0; i < s.length() && sb.length() < MAX; i++) {
      char c = s.charAt(i);
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
        sb.append(c);
      } else {
        break;
      }
    }
    return sb.toString();
  }
}
