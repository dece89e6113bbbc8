// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.cache;

import io.sluice.gateway.api.config.ByteSize;
import io.sluice.gateway.api.config.ConfigException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Configuration of {@code cache}.
 *
 * @param keyHeaders request headers whose values are part of the key (besides what {@code Vary} asks for)
 * @param keyQuery the query parameters that are part of the key, in this order; null (the default) keys on the
 *     whole query string as sent, an empty list ignores the query
 * @param keyHost whether the host is part of the key (default true)
 * @param keyConsumer whether the authenticated consumer is part of the key (default false): each consumer then
 *     has its own entries, and responses to authenticated requests may be stored without {@code public}
 * @param ttl when set, the freshness lifetime of storable responses with a heuristically cacheable status (200,
 *     203, 204, 300, 301, 308, 404, 405, 410, 414, 501), in place of what their headers say; {@code no-store},
 *     {@code private} and {@code Set-Cookie} are still honoured, and other statuses keep their own freshness
 * @param minTtl the shortest freshness lifetime given to a cacheable response (a clamp; default none)
 * @param maxTtl the longest freshness lifetime given to a response (a clamp; default none)
 * @param maxObjectSize the largest body stored (default 1MB); larger bodies stream through, never held
 * @param staleRetention how long an entry is kept after it went stale, so that it can be revalidated or served
 *     stale where allowed (default 10m)
 * @param bypassHeader a request header whose presence sends the request upstream without reading or storing
 * @param collapse whether concurrent misses for one key on a node wait for one upstream request (default true)
 * @param collapseWait how long a collapsed request waits for the first one before going upstream itself
 *     (default 3s; keep it below the route's policy timeout)
 * @param name the cache's name in {@code Cache-Status} (default {@code sluice})
 * @param tagHeader the response header in which the upstream names the tags of a response, for purge by tag
 *     (default {@code Surrogate-Key}; tags are separated by spaces or commas)
 * @param stripTagHeader whether {@code tagHeader} is removed before the response reaches the client (default
 *     true: tags are the operator's business, not the client's)
 * @param purge the purge settings ({@link Purge}); defaults when absent
 */
public record CacheConfig(
    @Nullable List<String> keyHeaders,
    @Nullable List<String> keyQuery,
    @Nullable Boolean keyHost,
    @Nullable Boolean keyConsumer,
    @Nullable Duration ttl,
    @Nullable Duration minTtl,
    @Nullable Duration maxTtl,
    @Nullable ByteSize maxObjectSize,
    @Nullable Duration staleRetention,
    @Nullable String bypassHeader,
    @Nullable Boolean collapse,
    @Nullable Duration collapseWait,
    @Nullable String name,
    @Nullable String tagHeader,
    @Nullable Boolean stripTagHeader,
    @Nullable Purge purge) {

  /** The shortest and longest {@code purge.ruleRetention}. */
  static final Duration MIN_RULE_RETENTION = Duration.ofMinutes(1);
  static final Duration MAX_RULE_RETENTION = Duration.ofDays(30);

  /**
   * Purge settings.
   *
   * @param ruleRetention how long a purge rule (by prefix, tag, or URL on a route keyed on more than the URL) is
   *     kept, and so the longest an entry is kept in the store after its upstream request (default 24h): no entry
   *     may outlive the rules that can purge it. From 1m to 30d; the longest over the routes is what the node
   *     keeps rules for
   */
  public record Purge(@Nullable Duration ruleRetention) {}

  public CacheConfig {
    keyHeaders = keyHeaders == null ? List.of() : keyHeaders.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    for (int i = 0; i < keyHeaders.size(); i++) {
      if (keyHeaders.get(i).isBlank()) {
        throw new ConfigException("keyHeaders[" + i + "]", "must not be blank");
      }
    }
    keyQuery = keyQuery == null ? null : List.copyOf(keyQuery);
    keyHost = keyHost == null || keyHost;
    keyConsumer = keyConsumer != null && keyConsumer;
    positive("ttl", ttl);
    positive("minTtl", minTtl);
    positive("maxTtl", maxTtl);
    if (minTtl != null && maxTtl != null && minTtl.compareTo(maxTtl) > 0) {
      throw new ConfigException("minTtl", "must not be longer than maxTtl");
    }
    maxObjectSize = maxObjectSize == null ? ByteSize.ofMegabytes(1) : maxObjectSize;
    if (maxObjectSize.bytes() <= 0 || maxObjectSize.bytes() > Integer.MAX_VALUE - 1024) {
      throw new ConfigException("maxObjectSize", "must be > 0 and below 2GB");
    }
    staleRetention = staleRetention == null ? Duration.ofMinutes(10) : staleRetention;
    if (staleRetention.isNegative()) {
      throw new ConfigException("staleRetention", "must not be negative");
    }
    if (bypassHeader != null && bypassHeader.isBlank()) {
      throw new ConfigException("bypassHeader", "must not be blank");
    }
    collapse = collapse == null || collapse;
    collapseWait = collapseWait == null ? Duration.ofSeconds(3) : collapseWait;
    positive("collapseWait", collapseWait);
    name = name == null ? "sluice" : name;
    if (!name.matches("[A-Za-z][A-Za-z0-9_.:-]*")) {
      throw new ConfigException("name", "must be a token (letters, digits, _ . : -), was '" + name + "'");
    }
    tagHeader = tagHeader == null ? "Surrogate-Key" : tagHeader;
    if (!tagHeader.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
      throw new ConfigException("tagHeader", "must be a header name, was '" + tagHeader + "'");
    }
    stripTagHeader = stripTagHeader == null || stripTagHeader;
    Duration retention = purge == null || purge.ruleRetention() == null ? Duration.ofHours(24) : purge.ruleRetention();
    if (retention.compareTo(MIN_RULE_RETENTION) < 0 || retention.compareTo(MAX_RULE_RETENTION) > 0) {
      throw new ConfigException("purge.ruleRetention", "must be from 1m to 30d, was " + retention);
    }
    purge = new Purge(retention);
  }

  /** {@code purge.ruleRetention}, with its default. */
  public Duration ruleRetention() {
    return java.util.Objects.requireNonNull(purge).ruleRetention();
  }

  private static void positive(String field, @Nullable Duration d) {
    if (d != null && (d.isNegative() || d.isZero())) {
      throw new ConfigException(field, "must be > 0");
    }
  }
}
