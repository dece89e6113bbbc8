// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.oauth2introspection;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Introspection answers by the SHA-256 of their token (the token itself is not kept), bounded in size, each
 * until its own {@link Introspected#cacheUntil()}. Shared by the event loops of a route: thread-safe. When
 * full, expired entries are swept (at most once a second), then arbitrary entries make room.
 */
final class AnswerCache {

  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  });

  private final Map<String, Introspected> entries = new ConcurrentHashMap<>();
  private final int maxSize;
  private final Clock clock;
  private volatile long nextSweep;

  AnswerCache(int maxSize, Clock clock) {
    this.maxSize = maxSize;
    this.clock = clock;
  }

  static String key(String token) {
    return new String(SHA256.get().digest(token.getBytes(StandardCharsets.UTF_8)), StandardCharsets.ISO_8859_1);
  }

  @Nullable Introspected get(String key) {
    Introspected e = entries.get(key);
    if (e == null) {
      return null;
    }
    if (clock.millis() >= e.cacheUntil()) {
      entries.remove(key, e);
      return null;
    }
    return e;
  }

  void put(String key, Introspected answer) {
    long now = clock.millis();
    if (answer.cacheUntil() <= now) {
      return;
    }
    if (entries.size() >= maxSize) {
      if (now >= nextSweep) {
        nextSweep = now + 1000;
        entries.values().removeIf(e -> now >= e.cacheUntil());
      }
      Iterator<String> it = entries.keySet().iterator();
      while (entries.size() >= maxSize && it.hasNext()) {
        it.next();
        it.remove();
      }
    }
    entries.put(key, answer);
  }

  int size() {
    return entries.size();
  }
}
