// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/** Helpers for raw query strings, for {@link Request#query(String)}. */
public final class QueryStrings {

  private QueryStrings() {}

  /**
   * {@code query} without every parameter named {@code name}, compared as {@link Request#queryParams()} looks
   * names up: after percent-decoding, ignoring case (so {@code API%5FKEY} goes with {@code api_key}), and with
   * {@code ;} separating parameters as {@code &} does (Netty's decoder, behind {@code queryParams()}, splits
   * on both: {@code ?x=1;api_key=K} is read as two parameters, so both separators are honoured here too). What
   * the gateway read as the parameter is never left for the upstream. The other parameters are kept as written,
   * in order, each after the separator it had; null when none is left.
   */
  public static @Nullable String without(@Nullable String query, String name) {
    if (query == null || query.isEmpty()) {
      return null;
    }
    StringBuilder out = new StringBuilder(query.length());
    int from = 0;
    char separator = '&';
    while (from <= query.length()) {
      int end = nextSeparator(query, from);
      String pair = query.substring(from, end);
      int eq = pair.indexOf('=');
      String rawName = eq < 0 ? pair : pair.substring(0, eq);
      boolean drop;
      try {
        drop = URLDecoder.decode(rawName, StandardCharsets.UTF_8).equalsIgnoreCase(name);
      } catch (IllegalArgumentException e) {
        drop = false;
      }
      if (!drop && !pair.isEmpty()) {
        if (out.length() > 0) {
          out.append(separator);
        }
        out.append(pair);
      }
      if (end == query.length()) {
        break;
      }
      separator = query.charAt(end);
      from = end + 1;
    }
    return out.length() == 0 ? null : out.toString();
  }

  private static int nextSeparator(String query, int from) {
    for (int i = from; i < query.length(); i++) {
      char c = query.charAt(i);
      if (c == '&' || c == ';') {
        return i;
      }
    }
    return query.length();
  }
}
