// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api;

import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The authenticated caller of an exchange, set by an authentication policy and used by later ones (ACLs by
 * group, limits per consumer, consumer headers to the upstream, usage analytics). Usually one of the
 * configured consumers ({@link io.sluice.gateway.api.auth.Consumers}), as the authenticating credential
 * found it; a token-based policy may also build one from verified claims.
 *
 * @param id a stable identifier (never a credential)
 * @param groups the groups the caller belongs to, e.g. {@code gold}, {@code internal}; ACLs decide on them
 * @param scopes what this exchange's credential grants (OAuth2 scopes of a token); empty for credentials
 *     without scopes (API keys, passwords)
 * @param tags extra facts about the caller, e.g. {@code plan=gold}
 */
public record Consumer(String id, Set<String> groups, Set<String> scopes, Map<String, String> tags) {

  public Consumer {
    Objects.requireNonNull(id, "id");
    groups = Set.copyOf(groups);
    scopes = Set.copyOf(scopes);
    tags = Map.copyOf(tags);
  }

  /** A consumer with an id only. */
  public static Consumer of(String id) {
    return new Consumer(id, Set.of(), Set.of(), Map.of());
  }

  /** A copy whose credential grants {@code scopes} (a verified token's). */
  public Consumer withScopes(Set<String> scopes) {
    return new Consumer(id, groups, scopes, tags);
  }

  /** A copy that also belongs to {@code more} groups (e.g. from a token's groups claim). */
  public Consumer withGroups(Set<String> more) {
    HashSet<String> all = new HashSet<>(groups);
    all.addAll(more);
    return new Consumer(id, all, scopes, tags);
  }
}
