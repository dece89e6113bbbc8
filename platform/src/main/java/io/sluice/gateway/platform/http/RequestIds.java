// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.http;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * Request ids: the client's {@code X-Request-Id} when it is well-formed (1–128 characters of letters, digits
 * and {@code . _ : -}), otherwise a new random UUID. A client-chosen id only correlates logs; it never
 * affects routing or authorisation.
 */
public final class RequestIds {

  public static final String HEADER = "X-Request-Id";
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private RequestIds() {}

  public static String fromHeaderOrNew(@Nullable String header) {
    return header != null && isWellFormed(header) ? header : newId();
  }

  /** A random version-4 UUID string, without the lock that {@link java.util.UUID#randomUUID()} takes. */
  public static String newId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    byte[] out = new byte[36]; // Latin-1: the String keeps a copy of these bytes, not of 36 chars
    int p = 0;
    for (int nibble = 0; nibble < 32; nibble++) {
      if (nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20) {
        out[p++] = (byte) '-';
      }
      long word = nibble < 16 ? hi : lo;
      int shift = 60 - 4 * (nibble % 16);
      out[p++] = HEX[(int) (word >>> shift) & 0xf];
    }
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  static boolean isWellFormed(String id) {
    int n = id.length();
    if (n == 0 || n > 128) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == ':';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
