// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.cache;

import org.jspecify.annotations.Nullable;

/**
 * Evaluates a client's conditional GET against a stored response (RFC 9111 §4.3.2, RFC 9110 §13.2.2):
 * {@code If-None-Match} first, with the weak comparison; {@code If-Modified-Since} only without it, against
 * {@code Last-Modified}, else {@code Date}.
 */
final class Conditionals {

  private Conditionals() {}

  static boolean notModified(StoredResponse e, @Nullable String ifNoneMatch, @Nullable String ifModifiedSince) {
    if (ifNoneMatch != null) {
      return matches(e.header("ETag"), ifNoneMatch);
    }
    if (ifModifiedSince != null) {
      long since = HttpDates.parse(ifModifiedSince);
      if (since == HttpDates.INVALID) {
        return false; // an invalid date is ignored (RFC 9110 §13.1.3)
      }
      String validator = e.header("Last-Modified");
      long modified = HttpDates.parse(validator != null ? validator : e.header("Date"));
      return modified != HttpDates.INVALID && modified <= since;
    }
    return false;
  }

  /** Whether {@code If-None-Match} names {@code etag} (or is {@code *}), with the weak comparison. */
  static boolean matches(@Nullable String etag, String ifNoneMatch) {
    if (ifNoneMatch.trim().equals("*")) {
      return true;
    }
    if (etag == null) {
      return false;
    }
    String mine = opaque(etag);
    for (String candidate : ifNoneMatch.split(",")) {
      if (opaque(candidate).equals(mine)) {
        return true;
      }
    }
    return false;
  }

  /** The entity-tag without its weakness prefix (the weak comparison, RFC 9110 §8.8.3.2). */
  private static String opaque(String tag) {
    String t = tag.trim();
    return t.startsWith("W/") ? t.substring(2) : t;
  }
}
