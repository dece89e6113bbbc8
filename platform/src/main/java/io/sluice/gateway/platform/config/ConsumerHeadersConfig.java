// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import io.sluice.gateway.api.config.ConfigException;
import org.jspecify.annotations.Nullable;

/**
 * {@code server.consumerHeaders}: the headers that tell the upstream who the authenticated caller is. The
 * gateway always removes the client's own copies of them and, when a policy authenticated a consumer, sets
 * them from it. Restart-only, like the rest of {@code server}.
 *
 * @param id the consumer's id ({@code X-Consumer-Id})
 * @param groups its groups, comma-separated ({@code X-Consumer-Groups})
 * @param scopes the scopes its credential grants, space-separated as in OAuth2 ({@code X-Authenticated-Scope})
 */
public record ConsumerHeadersConfig(String id, String groups, String scopes) {

  public ConsumerHeadersConfig(@Nullable String id, @Nullable String groups, @Nullable String scopes) {
    this.id = name("id", id, "X-Consumer-Id");
    this.groups = name("groups", groups, "X-Consumer-Groups");
    this.scopes = name("scopes", scopes, "X-Authenticated-Scope");
  }

  public static ConsumerHeadersConfig defaults() {
    return new ConsumerHeadersConfig(null, null, null);
  }

  private static String name(String field, @Nullable String value, String dflt) {
    if (value == null) {
      return dflt;
    }
    if (value.isEmpty()) {
      throw new ConfigException(field, "must be a header name");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      if (!ok) {
        throw new ConfigException(field, "'" + value + "' is not a header name (letters, digits, '-', '_')");
      }
    }
    return value;
  }
}
