// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.ratelimit;

/**
 * The decimal text of the numbers the {@code RateLimit-*} headers carry, cached for {@code 0..}{@link #CACHED}
 * (every remaining count of a limit up to 10,000 and every reset up to 2¾ hours), so that most responses
 * build no string for their headers. Entries are filled on first use; a race fills one twice with equal,
 * immutable strings, which is harmless.
 */
final class HeaderText {

  /** The largest cached value. */
  static final int CACHED = 9_999;

  private static final String[] TEXT = new String[CACHED + 1];

  private HeaderText() {}

  /** {@code Long.toString(v)}, from the cache when {@code 0 <= v <= CACHED}. */
  static String of(long v) {
    if (v < 0 || v > CACHED) {
      return Long.toString(v);
    }
    int i = (int) v;
    String s = TEXT[i];
    if (s == null) {
      s = Long.toString(v);
      TEXT[i] = s;
    }
    return s;
  }
}
