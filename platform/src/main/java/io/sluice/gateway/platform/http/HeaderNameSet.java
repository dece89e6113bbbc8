// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.http;

import java.util.Locale;

/**
 * A fixed set of header names, matched case-insensitively without lower-casing (and so without allocating)
 * the name looked up: candidates are bucketed by length, and a name only meets the few of its own length.
 * Header copying asks this for every header of every request and response.
 */
public final class HeaderNameSet {

  private final String[][] byLength;

  private HeaderNameSet(String[][] byLength) {
    this.byLength = byLength;
  }

  public static HeaderNameSet of(String... names) {
    int longest = 0;
    for (String n : names) {
      longest = Math.max(longest, n.length());
    }
    String[][] table = new String[longest + 1][];
    for (int len = 0; len <= longest; len++) {
      final int l = len;
      table[len] = java.util.Arrays.stream(names).filter(n -> n.length() == l)
          .map(n -> n.toLowerCase(Locale.ROOT)).distinct().toArray(String[]::new);
    }
    return new HeaderNameSet(table);
  }

  /** This set and {@code more}. */
  public HeaderNameSet plus(String... more) {
    java.util.List<String> all = new java.util.ArrayList<>();
    for (String[] bucket : byLength) {
      all.addAll(java.util.List.of(bucket));
    }
    all.addAll(java.util.List.of(more));
    return of(all.toArray(String[]::new));
  }

  /**
   * Whether {@code name} is in the set, compared ASCII-case-insensitively (header names are tokens). Takes any
   * {@link CharSequence}, so that Netty's {@code AsciiString} names are looked up without becoming a
   * {@code String}.
   */
  public boolean contains(CharSequence name) {
    int len = name.length();
    if (len >= byLength.length) {
      return false;
    }
    for (String candidate : byLength[len]) {
      if (equalsLowerAscii(candidate, name, len)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code name} equals the lower-case {@code candidate} of the same length, ignoring ASCII case. */
  private static boolean equalsLowerAscii(String candidate, CharSequence name, int len) {
    for (int i = 0; i < len; i++) {
      char c = name.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + ('a' - 'A'));
      }
      if (c != candidate.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
