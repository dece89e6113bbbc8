// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import io.sluice.gateway.api.config.ConfigException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A route's {@code authentication:}: how its authentication-stage policies combine.
 *
 * @param mode {@code all} (default): every authentication policy must succeed, in order (the plain chain);
 *     {@code any}: the first that succeeds wins, and when all fail the 401 lists every scheme's
 *     {@code WWW-Authenticate}
 * @param anonymous the id of a configured consumer to use when no policy found any credentials (mode
 *     {@code any} only; setting it without a mode implies {@code any}); invalid credentials are still refused
 */
public record AuthenticationConfig(String mode, @Nullable String anonymous) {

  public AuthenticationConfig(@Nullable String mode, @Nullable String anonymous) {
    String m = mode == null ? (anonymous != null ? "any" : "all") : mode.toLowerCase(Locale.ROOT);
    if (!m.equals("any") && !m.equals("all")) {
      throw new ConfigException("mode", "'" + mode + "' is not one of any, all");
    }
    if (anonymous != null && anonymous.isBlank()) {
      throw new ConfigException("anonymous", "must be a consumer id");
    }
    if (anonymous != null && m.equals("all")) {
      throw new ConfigException("anonymous", "needs mode: any (with mode: all every policy must succeed)");
    }
    this.mode = m;
    this.anonymous = anonymous;
  }

  /** Whether the first succeeding policy is enough. */
  public boolean any() {
    return mode.equals("any");
  }
}
