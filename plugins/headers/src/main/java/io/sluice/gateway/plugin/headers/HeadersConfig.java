// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.headers;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Configuration of {@code headers}.
 *
 * @param request changes to the request before it goes upstream
 * @param response changes to the response before it goes to the client
 */
public record HeadersConfig(@Nullable Operations request, @Nullable Operations response) {

  /**
   * Header changes, applied in this order: remove, rename, set, add. Values are templates.
   *
   * @param remove header names to drop
   * @param rename old name to new name (all values move)
   * @param set name to value, replacing existing values
   * @param add name to value, appended to existing values
   */
  public record Operations(
      List<String> remove, Map<String, String> rename, Map<String, String> set, Map<String, String> add) {

    public Operations {
      remove = remove != null ? List.copyOf(remove) : List.of();
      rename = rename != null ? Map.copyOf(rename) : Map.of();
      set = set != null ? Map.copyOf(set) : Map.of();
      add = add != null ? Map.copyOf(add) : Map.of();
    }
  }
}
