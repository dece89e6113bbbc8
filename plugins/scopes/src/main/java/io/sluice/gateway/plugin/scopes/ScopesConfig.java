// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.scopes;

import io.sluice.gateway.api.config.ConfigException;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * {@code scopes}' route config.
 *
 * @param required the scopes asked for (at least one; no spaces or quotes)
 * @param mode {@code all} (default): every required scope; {@code any}: at least one
 */
public record ScopesConfig(List<String> required, String mode) {

  public ScopesConfig(@Nullable List<String> required, @Nullable String mode) {
    if (required == null || required.isEmpty()) {
      throw new ConfigException("required", "name at least one scope");
    }
    this.required = List.copyOf(required);
    for (int i = 0; i < this.required.size(); i++) {
      String s = this.required.get(i);
      if (s.isEmpty() || s.chars().anyMatch(c -> c <= ' ' || c == '"' || c == '\\' || c > 126)) {
        throw new ConfigException("required[" + i + "]", "a scope is printable ASCII without spaces or quotes (RFC 6749)");
      }
    }
    this.mode = mode == null ? "all" : mode.toLowerCase(Locale.ROOT);
    if (!this.mode.equals("all") && !this.mode.equals("any")) {
      throw new ConfigException("mode", "'" + mode + "' is not one of all, any");
    }
  }
}
