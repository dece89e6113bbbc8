// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.upstream;

import org.jspecify.annotations.Nullable;

/**
 * Picks a target for a request among those {@linkplain TargetState#available available} at the time. One
 * instance per upstream, shared by every event loop: implementations are thread-safe and never block.
 */
interface Balancer {

  /**
   * @param key the request's hash key ({@code consistent-hash} only; null when absent or unused)
   * @param avoid a target not to pick unless it is the only one available (the one a retry failed on)
   * @return a target, or null when none is available
   */
  @Nullable TargetState pick(@Nullable String key, long now, @Nullable TargetState avoid);

  /** Whether {@code t} may be picked: available, and not the avoided one. */
  static boolean eligible(TargetState t, long now, @Nullable TargetState avoid) {
    return t != avoid && t.available(now);
  }
}
