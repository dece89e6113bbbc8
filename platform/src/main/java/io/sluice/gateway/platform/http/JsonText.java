// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.http;

import org.jspecify.annotations.Nullable;

/** Appends JSON string literals without a JSON library, for the few hand-built documents on the hot path. */
public final class JsonText {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private JsonText() {}

  /** Appends {@code value} as a quoted, escaped JSON string ({@code null} as {@code null}). */
  public static StringBuilder quote(StringBuilder sb, @Nullable String value) {
    if (value == null) {
      return sb.append("null");
    }
    sb.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            sb.append("\\u")
                .append(HEX[(c >> 12) & 0xf])
                .append(HEX[(c >> 8) & 0xf])
                .append(HEX[(c >> 4) & 0xf])
                .append(HEX[c & 0xf]);
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"');
  }
}
