// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.cache;

import io.vertx.core.json.JsonObject;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A purge that marks entries instead of deleting them (there is no scan of the cluster store): every entry of
 * {@code route} ({@code *}: every route) that was requested from the upstream at or before {@code time} and
 * matches is treated as absent. Kept in the cluster store under its sequence number so that every node applies
 * it; matched on the hit path against the node's local copy of the rules, with no remote call.
 *
 * @param seq the rule's number in the cluster-wide sequence
 * @param route the route id, or {@code *}
 * @param kind what {@code value} is
 * @param value a path prefix, a tag, or the URL part of a key ({@link CacheKeys#url})
 * @param time wall-clock ms on the purging node
 */
record PurgeRule(long seq, String route, Kind kind, String value, long time) {

  /** What a rule matches on. */
  enum Kind {
    /** Entries whose request path starts with the value. */
    PREFIX,
    /** Entries the upstream tagged with the value. */
    TAG,
    /** Entries of one URL whatever the key's header or consumer parts. */
    URL
  }

  boolean matches(String routeId, StoredResponse e) {
    if (e.requestTime > time || !(route.equals("*") || route.equals(routeId))) {
      return false;
    }
    return switch (kind) {
      case PREFIX -> e.path().startsWith(value);
      case TAG -> e.tags.contains(value);
      case URL -> e.primary.equals(value) || e.primary.startsWith(value) && e.primary.charAt(value.length()) == 0;
    };
  }

  JsonObject toJson() {
    return new JsonObject().put("route", route).put("kind", kind.name().toLowerCase(Locale.ROOT)).put("value", value)
        .put("time", time);
  }

  static @Nullable PurgeRule fromJson(long seq, @Nullable JsonObject j) {
    if (j == null) {
      return null;
    }
    try {
      return new PurgeRule(seq, j.getString("route"), Kind.valueOf(j.getString("kind").toUpperCase(Locale.ROOT)),
          j.getString("value"), j.getLong("time"));
    } catch (RuntimeException e) {
      return null; // a rule this version cannot read: ignored
    }
  }
}
