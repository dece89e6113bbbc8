// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.oauth2introspection;

import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.api.Rejection;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one introspection, as cached: an admitted consumer with its upstream headers, or the
 * refusal of an inactive (or unusable) token; and until when it may be reused (epoch millis).
 */
record Introspected(@Nullable Consumer consumer, List<Map.Entry<String, String>> headers, @Nullable Rejection refusal,
    long cacheUntil) {

  static Introspected admitted(Consumer consumer, List<Map.Entry<String, String>> headers, long cacheUntil) {
    return new Introspected(consumer, headers, null, cacheUntil);
  }

  static Introspected refused(Rejection refusal, long cacheUntil) {
    return new Introspected(null, List.of(), refusal, cacheUntil);
  }
}
