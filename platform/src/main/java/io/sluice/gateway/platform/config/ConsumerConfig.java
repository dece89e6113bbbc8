// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.gateway.api.config.ConfigException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One entry of the top-level {@code consumers:}: a caller that authentication policies recognise.
 *
 * @param id unique, stable, not a secret ({@code [A-Za-z0-9._@-]+}); sent upstream in {@code X-Consumer-Id}
 * @param groups what ACLs decide on
 * @param tags extra facts ({@code plan: gold}), visible to policies as {@code Consumer.tags()}
 * @param credentials per mechanism (the policy type that reads them, e.g. {@code key-auth}), a list of
 *     objects that the mechanism binds to its own record when a route uses it
 */
public record ConsumerConfig(
    String id, List<String> groups, Map<String, String> tags, Map<String, List<JsonNode>> credentials) {

  public ConsumerConfig(
      @Nullable String id,
      @Nullable List<String> groups,
      @Nullable Map<String, String> tags,
      @Nullable Map<String, List<JsonNode>> credentials) {
    if (id == null || id.isBlank()) {
      throw new ConfigException("id", "is required");
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '-' || c == '@';
      if (!ok) {
        throw new ConfigException("id", "'" + id + "' may contain only letters, digits, '.', '_', '-' and '@'");
      }
    }
    this.id = id;
    this.groups = groups != null ? List.copyOf(groups) : List.of();
    for (int i = 0; i < this.groups.size(); i++) {
      String g = this.groups.get(i);
      if (g.isBlank() || g.indexOf(',') >= 0) {
        throw new ConfigException("groups[" + i + "]", "must be a non-empty name without ','");
      }
    }
    this.tags = tags != null ? Map.copyOf(tags) : Map.of();
    Map<String, List<JsonNode>> copy = new LinkedHashMap<>();
    if (credentials != null) {
      credentials.forEach((kind, list) -> copy.put(kind, list != null ? List.copyOf(list) : List.of()));
    }
    this.credentials = java.util.Collections.unmodifiableMap(copy);
  }
}
