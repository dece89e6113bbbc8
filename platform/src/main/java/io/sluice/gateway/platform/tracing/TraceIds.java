// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.tracing;

import java.util.concurrent.ThreadLocalRandom;

/** Random trace and span ids, and their lowercase hex forms (W3C Trace Context §3.2.2). */
final class TraceIds {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private TraceIds() {}

  /** A random non-zero 64-bit id (a span id, or one half of a trace id). */
  static long random() {
    long id;
    do {
      id = ThreadLocalRandom.current().nextLong();
    } while (id == 0);
    return id;
  }

  /** Writes {@code id} as 16 lowercase hex digits into {@code out} from {@code at}. */
  static void hex(long id, char[] out, int at) {
    for (int i = 15; i >= 0; i--) {
      out[at + i] = HEX[(int) (id & 0xf)];
      id >>>= 4;
    }
  }

  static String hex(long id) {
    char[] out = new char[16];
    hex(id, out, 0);
    return new String(out);
  }

  static String hex(long hi, long lo) {
    char[] out = new char[32];
    hex(hi, out, 0);
    hex(lo, out, 16);
    return new String(out);
  }
}
