// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.tracing;

import org.jspecify.annotations.Nullable;

/**
 * A {@code traceparent} header read strictly as W3C Trace Context Level 1 §3.2 asks
 * (https://www.w3.org/TR/trace-context/#traceparent-header): {@code version-traceid-parentid-flags} in lowercase
 * hex, 2-32-16-2 digits; version {@code ff} is invalid; version {@code 00} is exactly 55 characters; a later
 * version may be longer only after a {@code -}; an all-zero trace id or parent id is invalid. Anything else
 * means the gateway starts a new trace (and drops {@code tracestate}). No regex, no allocation.
 */
final class TraceParent {

  static final int LENGTH = 55;

  final long traceHi;
  final long traceLo;
  final long parentId;
  final int flags;

  private TraceParent(long traceHi, long traceLo, long parentId, int flags) {
    this.traceHi = traceHi;
    this.traceLo = traceLo;
    this.parentId = parentId;
    this.flags = flags;
  }

  /** The parsed header, or null when it is absent or invalid. */
  static @Nullable TraceParent parse(@Nullable String value) {
    if (value == null || value.length() < LENGTH) {
      return null;
    }
    int version = hexByte(value, 0);
    if (version < 0 || version == 0xff) {
      return null;
    }
    if (version == 0 ? value.length() != LENGTH : value.length() > LENGTH && value.charAt(LENGTH) != '-') {
      return null;
    }
    if (value.charAt(2) != '-' || value.charAt(35) != '-' || value.charAt(52) != '-') {
      return null;
    }
    int flags = hexByte(value, 53);
    if (!hex16(value, 3) || !hex16(value, 19) || !hex16(value, 36) || flags < 0) {
      return null;
    }
    long hi = Long.parseUnsignedLong(value, 3, 19, 16);
    long lo = Long.parseUnsignedLong(value, 19, 35, 16);
    long parent = Long.parseUnsignedLong(value, 36, 52, 16);
    if (hi == 0 && lo == 0 || parent == 0) {
      return null;
    }
    return new TraceParent(hi, lo, parent, flags);
  }

  boolean sampled() {
    return (flags & 1) != 0;
  }

  private static boolean hex16(String s, int from) {
    for (int i = from; i < from + 16; i++) {
      if (digit(s.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  private static int hexByte(String s, int at) {
    int a = digit(s.charAt(at));
    int b = digit(s.charAt(at + 1));
    return a < 0 || b < 0 ? -1 : a << 4 | b;
  }

  /** A lowercase hex digit's value; -1 for anything else (uppercase included, as the spec requires). */
  private static int digit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }
}
