// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.cluster;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * The wire form of a cluster cache entry: its expiry (epoch milliseconds, 8 bytes) and then its bytes.
 *
 * <p>Hazelcast expires an entry on its owner, lazily or by a background task every few seconds, and only then
 * invalidates the near caches that hold it. A member that read the entry before it expired would go on serving
 * it from its near cache for up to that long. So every read checks the expiry carried in the value, against
 * the reader's wall clock (the one the writer used, as the counters' expiries do), and treats an expired
 * entry as absent, whichever copy it came from. Hazelcast also holds an entry's times in whole seconds, so an
 * entry with a time-to-live under a second could be gone at once; it is kept {@link
 * EntryProcessors#TTL_MARGIN_MILLIS} longer there, as counters are, and the expiry here decides.
 */
final class CacheEntries {

  private static final int EXPIRY_BYTES = Long.BYTES;

  private CacheEntries() {}

  /** {@code value} to be stored until {@code expiresAtMillis}. */
  static byte[] wire(Buffer value, long expiresAtMillis) {
    byte[] bytes = new byte[EXPIRY_BYTES + value.length()];
    ByteBuffer.wrap(bytes).putLong(expiresAtMillis);
    value.getBytes(bytes, EXPIRY_BYTES);
    return bytes;
  }

  /** A stored entry's value; null when there is none, it is not in this form, or it has expired at {@code nowMillis}. */
  static @Nullable Buffer value(byte @Nullable [] wire, long nowMillis) {
    if (wire == null || wire.length < EXPIRY_BYTES || nowMillis >= ByteBuffer.wrap(wire).getLong()) {
      return null;
    }
    return Buffer.buffer(wire.length - EXPIRY_BYTES).appendBytes(wire, EXPIRY_BYTES, wire.length - EXPIRY_BYTES);
  }
}
