// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.cache;

import io.vertx.core.MultiMap;
import java.util.Set;

/**
 * Whether a response may be stored by a shared cache (RFC 9111 §3, §3.5) and for how long it is fresh (§4.2.1,
 * heuristics §4.2.2), with the route's TTL override and clamps applied.
 */
final class Freshness {

  /** Status codes that are heuristically cacheable (RFC 9110 §15.1), less 206 (ranges are not cached). */
  static final Set<Integer> HEURISTIC = Set.of(200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501);

  /** Status codes the cache understands well enough to store (§3: "the response status code is final"). */
  static final Set<Integer> UNDERSTOOD = Set.of(
      200, 203, 204, 300, 301, 302, 303, 307, 308, 400, 403, 404, 405, 410, 414, 451, 500, 501, 502, 503, 504);

  /** The heuristic fraction of the time since {@code Last-Modified} (§4.2.2 suggests 10%), and its cap. */
  static final long HEURISTIC_CAP_MILLIS = 24L * 3600 * 1000;

  private Freshness() {}

  /**
   * Why the response cannot be stored, or null when it can. {@code authenticated}: the request carried
   * {@code Authorization} (or a consumer that is not part of the key), §3.5.
   */
  static String refusal(int status, Directives response, Directives request, MultiMap headers, boolean authenticated,
      boolean forcedTtl) {
    if (request.noStore || response.noStore) {
      return "no-store";
    }
    if (response.isPrivate) {
      return "private";
    }
    if (!UNDERSTOOD.contains(status)) {
      return "status";
    }
    if (authenticated && !(response.mustRevalidate || response.isPublic || response.sMaxAge >= 0)) {
      return "authorization";
    }
    if (headers.contains("Set-Cookie")) {
      return "set-cookie"; // a shared cache may store it (§7.3), but it is another user's session
    }
    for (String vary : headers.getAll("Vary")) {
      if (vary.contains("*")) {
        return "vary-star"; // on any Vary line, not only the first
      }
    }
    boolean explicit = response.sMaxAge >= 0 || response.maxAge >= 0 || headers.contains("Expires");
    boolean validators = headers.contains("ETag") || headers.contains("Last-Modified");
    boolean forced = forcedTtl && HEURISTIC.contains(status);
    if (!explicit && !response.isPublic && !forced && !(HEURISTIC.contains(status) && validators)
        && !(response.noCache && validators)) {
      return "no-freshness";
    }
    return null;
  }

  /**
   * The freshness lifetime in ms (§4.2.1): s-maxage, else max-age, else Expires minus Date, else a heuristic
   * (§4.2.2) for heuristically cacheable statuses with {@code Last-Modified}; then the override and clamps.
   */
  static long lifetime(int status, Directives cc, MultiMap headers, long dateValue, CacheConfig config) {
    if (config.ttl() != null && HEURISTIC.contains(status)) {
      // like nginx's proxy_cache_valid: the override is for success-like statuses; a 5xx keeps its own headers
      return config.ttl().toMillis();
    }
    long lifetime;
    boolean heuristic = false;
    if (cc.sMaxAge >= 0) {
      lifetime = cc.sMaxAge * 1000;
    } else if (cc.maxAge >= 0) {
      lifetime = cc.maxAge * 1000;
    } else if (headers.contains("Expires")) {
      long expires = HttpDates.parse(headers.get("Expires"));
      // An invalid Expires (e.g. "0") means already expired (§5.3).
      lifetime = expires == HttpDates.INVALID ? 0 : Math.max(0, expires - dateValue);
    } else {
      long lastModified = HttpDates.parse(headers.get("Last-Modified"));
      if ((HEURISTIC.contains(status) || cc.isPublic) && lastModified != HttpDates.INVALID) {
        lifetime = Math.min(HEURISTIC_CAP_MILLIS, Math.max(0, dateValue - lastModified) / 10);
        heuristic = true;
      } else {
        lifetime = 0;
      }
    }
    if (config.minTtl() != null && !heuristic) {
      lifetime = Math.max(lifetime, config.minTtl().toMillis());
    }
    if (config.maxTtl() != null) {
      lifetime = Math.min(lifetime, config.maxTtl().toMillis());
    }
    return lifetime;
  }
}
