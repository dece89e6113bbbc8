// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.acl;

import io.sluice.gateway.api.config.ConfigException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code acl}'s route config. Deny wins: a consumer in any {@code deny} group is refused even when it is also
 * in an {@code allow} group; with {@code allow} set, a consumer in none of its groups is refused.
 *
 * @param allow the groups let through (empty: every group not denied)
 * @param deny the groups refused
 */
public record AclConfig(List<String> allow, List<String> deny) {

  public AclConfig(@Nullable List<String> allow, @Nullable List<String> deny) {
    this.allow = allow != null ? List.copyOf(allow) : List.of();
    this.deny = deny != null ? List.copyOf(deny) : List.of();
    if (this.allow.isEmpty() && this.deny.isEmpty()) {
      throw new ConfigException("", "set allow, deny or both");
    }
  }
}
