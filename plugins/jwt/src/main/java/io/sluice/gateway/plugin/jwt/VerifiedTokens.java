// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.jwt;

import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Recently verified tokens, so that a repeated token skips parsing and the signature check. Keyed by the
 * token string itself (for a header, the header line as sent): a warm lookup costs one hash of the string and
 * one comparison, no parsing and no copy, where a SHA-256 of it
 * cost more than the rest of the policy. The tokens are held in the heap, as the requests carrying them are;
 * only tokens whose signature and claims verified are ever kept, and an entry holds the consumer and the
 * claim headers ready to set. Bounded in size, each entry expiring at the earlier of the token's own expiry
 * and the configured TTL. Shared by the event loops of a route: thread-safe.
 *
 * <p>When full, expired entries are swept (at most once a second) and then an arbitrary entry makes room:
 * a simple bound, enough for a cache that only ever holds tokens whose signature was valid.
 */
final class VerifiedTokens {

  private record Entry(Verified value, long expiresAt) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final int maxSize;
  private final long ttlMillis;
  private final Clock clock;
  private volatile long nextSweep;

  VerifiedTokens(int maxSize, long ttlMillis, Clock clock) {
    this.maxSize = maxSize;
    this.ttlMillis = ttlMillis;
    this.clock = clock;
  }

  boolean enabled() {
    return ttlMillis > 0;
  }

  @Nullable Verified get(String key) {
    Entry e = entries.get(key);
    if (e == null) {
      return null;
    }
    if (clock.millis() >= e.expiresAt()) {
      entries.remove(key, e);
      return null;
    }
    return e.value();
  }

  void put(String key, Verified value) {
    long now = clock.millis();
    long expiresAt = Math.min(value.validUntil(), now + ttlMillis);
    if (expiresAt <= now) {
      return;
    }
    if (entries.size() >= maxSize) {
      makeRoom(now);
    }
    entries.put(key, new Entry(value, expiresAt));
  }

  int size() {
    return entries.size();
  }

  private void makeRoom(long now) {
    if (now >= nextSweep) {
      nextSweep = now + 1000;
      entries.values().removeIf(e -> now >= e.expiresAt());
    }
    Iterator<String> it = entries.keySet().iterator();
    while (entries.size() >= maxSize && it.hasNext()) {
      it.next();
      it.remove();
    }
  }
}
