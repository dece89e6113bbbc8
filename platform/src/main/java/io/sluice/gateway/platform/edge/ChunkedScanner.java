// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.edge;

import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

/**
 * Follows a chunked request body (RFC 9112 §7.1) byte by byte across reads, strictly: hexadecimal sizes of at
 * most 15 digits (no sign, no overflow), chunk extensions of printable characters, CRLF after every size line,
 * every chunk's data and every trailer line (a bare LF or CR is refused, as Netty 4.2 does), and a bounded
 * trailer section without obs-fold. It finds where the body
 * ends, so that the next pipelined request head is found where Netty will find it.
 */
final class ChunkedScanner {

  private static final int SIZE = 0;
  private static final int SIZE_WS = 1;
  private static final int EXT = 2;
  private static final int SIZE_LF = 3;
  private static final int DATA = 4;
  private static final int DATA_CR = 5;
  private static final int DATA_LF = 6;
  private static final int TRAILER_START = 7;
  private static final int TRAILER_NAME = 8;
  private static final int TRAILER_VALUE = 9;
  private static final int TRAILER_LF = 10;
  private static final int END_LF = 11;
  private static final int DONE = 12;

  private static final int MAX_SIZE_LINE = 4096;

  private final HeadLimits limits;
  private int state;
  private long size;
  private int digits;
  private int lineBytes;
  private int trailerBytes;
  private int trailerFields;
  private @Nullable Refusal error;

  ChunkedScanner(HeadLimits limits) {
    this.limits = limits;
  }

  /** Starts a new body. */
  void reset() {
    state = SIZE;
    size = 0;
    digits = 0;
    lineBytes = 0;
    trailerBytes = 0;
    trailerFields = 0;
    error = null;
  }

  boolean done() {
    return state == DONE;
  }

  /** Why the body was refused, after {@link #scan} returned -1. */
  @Nullable Refusal error() {
    return error;
  }

  /**
   * Reads body bytes from {@code [from, to)}.
   *
   * @return the index after the last byte of the body when it ended in this range ({@link #done()}), else
   *     {@code to}; -1 when the body is malformed ({@link #error()})
   */
  int scan(ByteBuf b, int from, int to) {
    int i = from;
    while (i < to) {
      if (state == DATA) {
        long n = Math.min(size, to - i);
        i += (int) n;
        size -= n;
        if (size == 0) {
          state = DATA_CR;
        }
        continue;
      }
      byte c = b.getByte(i++);
      switch (state) {
        case SIZE -> {
          int d = hexValue(c);
          if (d >= 0) {
            if (++digits > 15) {
              return fail("a chunk size is too large");
            }
            size = size * 16 + d;
            if (size > Integer.MAX_VALUE) {
              // Netty's decoder reads the size into an int and checks only for a negative result, so a size of
              // 9 or more digits wraps to a small one there (100000000 is 0: the last chunk). Both must agree.
              return fail("a chunk size is too large");
            }
          } else if (digits == 0) {
            return fail("a chunk size is not hexadecimal");
          } else if (c == ';') {
            state = EXT;
          } else if (c == ' ' || c == '\t') {
            state = SIZE_WS;
          } else if (c == '\r') {
            state = SIZE_LF;
          } else {
            return fail("a chunk size is not hexadecimal");
          }
        }
        case SIZE_WS -> {
          if (c == ';') {
            state = EXT;
          } else if (c != ' ' && c != '\t') {
            return fail("a chunk size is followed by something other than an extension");
          }
        }
        case EXT -> {
          if (c == '\r') {
            state = SIZE_LF;
          } else if (HeadParser.control(c)) {
            return fail("a chunk extension has a control character");
          } else if (++lineBytes > MAX_SIZE_LINE) {
            return fail("a chunk extension is too long");
          }
        }
        case SIZE_LF -> {
          if (c != '\n') {
            return fail("a chunk size line ends in a bare CR");
          }
          sizeLineEnded();
        }
        case DATA_CR -> {
          if (c == '\r') {
            state = DATA_LF;
          } else {
            return fail("a chunk is longer than its size");
          }
        }
        case DATA_LF -> {
          if (c != '\n') {
            return fail("a chunk's data ends in a bare CR");
          }
          nextChunk();
        }
        case TRAILER_START -> {
          if (c == '\r') {
            state = END_LF;
          } else if (!HeadParser.tchar(c)) {
            return fail("a trailer field is malformed");
          } else if (++trailerFields > limits.maxHeaderCount()) {
            return fail("too many trailer fields");
          } else {
            state = TRAILER_NAME;
          }
        }
        case TRAILER_NAME -> {
          if (c == ':') {
            state = TRAILER_VALUE;
          } else if (!HeadParser.tchar(c)) {
            return fail("a trailer field name is malformed");
          }
        }
        case TRAILER_VALUE -> {
          if (c == '\r') {
            state = TRAILER_LF;
          } else if (HeadParser.control(c)) {
            return fail("a trailer field has a control character");
          }
        }
        case TRAILER_LF -> {
          if (c != '\n') {
            return fail("a trailer line ends in a bare CR");
          }
          state = TRAILER_START;
        }
        case END_LF -> {
          if (c != '\n') {
            return fail("the chunked body ends in a bare CR");
          }
          state = DONE;
          return i;
        }
        default -> {
          return fail("data after the end of the chunked body");
        }
      }
      if (state >= TRAILER_START && ++trailerBytes > limits.maxHeaderBytes()) {
        return fail("the trailer section is too large");
      }
    }
    return i;
  }

  private void sizeLineEnded() {
    lineBytes = 0;
    digits = 0;
    state = size == 0 ? TRAILER_START : DATA;
  }

  private void nextChunk() {
    size = 0;
    state = SIZE;
  }

  private int fail(String detail) {
    error = Refusal.badRequest("CHUNK_INVALID", detail);
    return -1;
  }

  private static int hexValue(byte c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
