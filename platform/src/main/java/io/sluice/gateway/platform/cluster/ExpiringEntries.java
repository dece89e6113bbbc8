// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.cluster;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The wire form of a store or cache entry: its expiry (epoch milliseconds, 8 bytes) and then its bytes.
 *
 * <p>Hazelcast holds an entry's times in whole seconds, so an entry with a time-to-live under a second could be
 * gone at once; it is kept {@link EntryProcessors#TTL_MARGIN_MILLIS} longer there, as counters are, and the
 * expiry here decides. Hazelcast also expires an entry on its owner, lazily or by a background task every few
 * seconds, and only then invalidates the near caches that hold it: a member that read a cache entry before it
 * expired would go on serving it from its near cache for up to that long. So every read checks the expiry
 * carried in the value, against the reader's wall clock (the one the writer used, as the counters' expiries
 * do), and treats an expired entry as absent, whichever copy it came from.
 */
final class ExpiringEntries {

  private static final int EXPIRY_BYTES = Long.BYTES;

  private ExpiringEntries() {}

  /** {@code value} to be stored until {@code expiresAtMillis}. */
  static byte[] wire(byte[] value, long expiresAtMillis) {
    byte[] bytes = new byte[EXPIRY_BYTES + value.length];
    ByteBuffer.wrap(bytes).putLong(expiresAtMillis);
    System.arraycopy(value, 0, bytes, EXPIRY_BYTES, value.length);
    return bytes;
  }

  /** {@code value} to be stored until {@code expiresAtMillis}. */
  static byte[] wire(Buffer value, long expiresAtMillis) {
    byte[] bytes = new byte[EXPIRY_BYTES + value.length()];
    ByteBuffer.wrap(bytes).putLong(expiresAtMillis);
    value.getBytes(bytes, EXPIRY_BYTES);
    return bytes;
  }

  /** Whether {@code wire} is an entry that has not expired at {@code nowMillis}. */
  static boolean live(byte @Nullable [] wire, long nowMillis) {
    return wire != null && wire.length >= EXPIRY_BYTES && nowMillis < ByteBuffer.wrap(wire).getLong();
  }

  /** A stored entry's bytes; null when there is none, it is not in this form, or it expired at {@code nowMillis}. */
  static byte @Nullable [] bytes(byte @Nullable [] wire, long nowMillis) {
    return wire == null || !live(wire, nowMillis) ? null : Arrays.copyOfRange(wire, EXPIRY_BYTES, wire.length);
  }

  /** {@link #bytes} as a buffer. */
  static @Nullable Buffer buffer(byte @Nullable [] wire, long nowMillis) {
    if (wire == null || !live(wire, nowMillis)) {
      return null;
    }
    return Buffer.buffer(wire.length - EXPIRY_BYTES).appendBytes(wire, EXPIRY_BYTES, wire.length - EXPIRY_BYTES);
  }
}
