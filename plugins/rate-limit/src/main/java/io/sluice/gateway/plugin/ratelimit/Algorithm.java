// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.ratelimit;

import io.sluice.gateway.api.config.ConfigException;
import java.util.Locale;

/** How a limit counts: written {@code fixed-window}, {@code sliding-window} or {@code token-bucket}. */
enum Algorithm {
  /** At most {@code limit} per window; windows are aligned to the epoch (a day window starts at 00:00 UTC). */
  FIXED_WINDOW,
  /**
   * The two-window weighted estimate (Cloudflare, Kong, nginx): {@code previous * (1 - elapsed/window) +
   * current <= limit}. No edge burst of a fixed window; the bound is in docs/rate-limiting.md.
   */
  SLIDING_WINDOW,
  /** A bucket of {@code burst} tokens (default {@code limit}) refilled at {@code limit} per window. */
  TOKEN_BUCKET;

  static Algorithm parse(String field, String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "fixed-window", "fixed" -> FIXED_WINDOW;
      case "sliding-window", "sliding" -> SLIDING_WINDOW;
      case "token-bucket", "bucket" -> TOKEN_BUCKET;
      default -> throw new ConfigException(field, "'" + text + "' is not an algorithm (fixed-window, sliding-window, token-bucket)");
    };
  }

  String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
