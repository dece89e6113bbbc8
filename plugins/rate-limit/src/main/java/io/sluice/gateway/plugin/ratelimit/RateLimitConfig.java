// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.ratelimit;

import io.sluice.gateway.api.config.ConfigException;
import io.sluice.gateway.api.config.DurationParser;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Configuration of {@code rate-limit}: one limit ({@code limit}, {@code window}, ...) or several
 * ({@code limits: [...]}); a request is admitted only when every limit admits it, and only admitted requests
 * count.
 *
 * <pre>{@code
 * config: { limit: 100, window: 1m, by: consumer }
 * config:
 *   scope: cluster
 *   by: consumer
 *   limits:
 *     - { limit: 10, window: 1s, algorithm: token-bucket, burst: 20 }
 *     - { limit: 10000, window: 1d }
 *     - { limit: 50, window: 1s, by: ip }
 *     - { limit: 1000000, window: month, zone: Europe/Paris }   # a quota: from the 1st, 00:00 Paris time
 * }</pre>
 *
 * @param limits several limits; each may name its own {@code by}/{@code header}/{@code attribute}, else it
 *     inherits the policy's. After validation this is the only form: the single-limit fields are folded in
 * @param limit the single limit's allowance (with {@code window}); not together with {@code limits}
 * @param window the single limit's window: a duration from {@code 1s} to {@code 31d} (epoch-aligned, so a
 *     {@code 1d} window starts at 00:00 UTC), or a calendar window {@code month}, {@code week} or {@code day}
 *     in {@code zone}
 * @param algorithm the single limit's algorithm: {@code fixed-window} (default), {@code sliding-window},
 *     {@code token-bucket}
 * @param burst the single token bucket's capacity (default {@code limit})
 * @param by what the limits count per: {@code consumer} (default), {@code ip}, {@code header}, {@code route},
 *     {@code attribute}
 * @param header the request header to count per, with {@code by: header}
 * @param attribute the exchange attribute (an {@code AttributeKey} name) to count per, with {@code by: attribute}
 * @param missingKey what to do when a request has no key (no consumer, no such header): {@code shared}
 *     (default: such requests share one counter, so leaving the header out never escapes the limit) or
 *     {@code skip} (such requests are not limited by that limit)
 * @param scope {@code local} (default: each node counts alone) or {@code cluster} (the limit holds across all nodes)
 * @param failOpen with {@code scope: cluster}, whether to admit requests while the cluster cannot answer
 *     (default true); false answers 503 {@code RATE_LIMIT_UNAVAILABLE}
 * @param addHeaders whether responses carry {@code RateLimit-Limit}, {@code RateLimit-Remaining} and
 *     {@code RateLimit-Reset} (default true); a 429 always carries {@code Retry-After}
 * @param maxKeys the most keys each limit keeps a counter for (default 100,000): past it, idle keys are swept,
 *     and while it is still full every new key shares one overflow counter of that limit (so a client that
 *     invents keys is limited as one key, and memory stays bounded)
 * @param zone the time zone of calendar windows ({@code month}, {@code week}, {@code day}): an IANA id such as
 *     {@code Europe/Paris}, or an offset; default {@code UTC}. With {@code limits}, every calendar limit that
 *     names no zone of its own takes this one
 */
public record RateLimitConfig(
    @Nullable List<LimitConfig> limits,
    @Nullable Long limit,
    @Nullable String window,
    @Nullable String algorithm,
    @Nullable Long burst,
    @Nullable String by,
    @Nullable String header,
    @Nullable String attribute,
    @Nullable String missingKey,
    @Nullable String scope,
    @Nullable Boolean failOpen,
    @Nullable Boolean addHeaders,
    @Nullable Integer maxKeys,
    @Nullable String zone) {

  /** The default of {@code maxKeys}. */
  static final int DEFAULT_MAX_KEYS = 100_000;

  /** The shortest window: below a second, a limit is a concurrency or burst setting rather than a rate. */
  static final Duration MIN_WINDOW = Duration.ofSeconds(1);
  /** The longest window: a month of quotas. */
  static final Duration MAX_WINDOW = Duration.ofDays(31);

  public RateLimitConfig {
    if (limits != null && (limit != null || window != null || algorithm != null || burst != null)) {
      throw new ConfigException("limits", "give either limits or limit/window/algorithm/burst, not both");
    }
    by = by != null ? by.trim().toLowerCase(Locale.ROOT) : "consumer";
    LimitBy.parse("by", by);
    missingKey = missingKey != null ? missingKey.trim().toLowerCase(Locale.ROOT) : "shared";
    if (!missingKey.equals("shared") && !missingKey.equals("skip")) {
      throw new ConfigException("missingKey", "'" + missingKey + "' is not one of shared, skip");
    }
    scope = scope != null ? scope.trim().toLowerCase(Locale.ROOT) : "local";
    if (!scope.equals("local") && !scope.equals("cluster")) {
      throw new ConfigException("scope", "'" + scope + "' is not one of local, cluster");
    }
    failOpen = failOpen != null ? failOpen : Boolean.TRUE;
    addHeaders = addHeaders != null ? addHeaders : Boolean.TRUE;
    maxKeys = maxKeys != null ? maxKeys : DEFAULT_MAX_KEYS;
    if (maxKeys < 1) {
      throw new ConfigException("maxKeys", "must be at least 1");
    }
    if (zone != null) {
      zone = CalendarWindow.zone("zone", zone).getId();
    }
    List<LimitConfig> resolved = new ArrayList<>();
    if (limits == null) {
      if (limit == null) {
        throw new ConfigException("limit", "is required (or a limits list)");
      }
      resolved.add(new LimitConfig(limit, window, algorithm, burst, null, null, null, null)
          .inherit(by, header, attribute, zone));
    } else {
      if (limits.isEmpty()) {
        throw new ConfigException("limits", "must not be empty");
      }
      for (int i = 0; i < limits.size(); i++) {
        LimitConfig l = limits.get(i);
        if (l == null) {
          throw new ConfigException("limits[" + i + "]", "must not be null");
        }
        try {
          resolved.add(l.inherit(by, header, attribute, zone));
        } catch (ConfigException e) {
          throw e.at("limits[" + i + "]");
        }
      }
    }
    limits = List.copyOf(resolved);
    limit = null;
    window = null;
    algorithm = null;
    burst = null;
  }

  /** Without {@code maxKeys} and {@code zone} (the defaults), the single limit's window as a duration. */
  public RateLimitConfig(@Nullable List<LimitConfig> limits, @Nullable Long limit, @Nullable Duration window,
      @Nullable String algorithm, @Nullable Long burst, @Nullable String by, @Nullable String header,
      @Nullable String attribute, @Nullable String missingKey, @Nullable String scope, @Nullable Boolean failOpen,
      @Nullable Boolean addHeaders) {
    this(limits, limit, window, algorithm, burst, by, header, attribute, missingKey, scope, failOpen, addHeaders,
        null);
  }

  /** Without {@code zone} (UTC), the single limit's window as a duration. */
  public RateLimitConfig(@Nullable List<LimitConfig> limits, @Nullable Long limit, @Nullable Duration window,
      @Nullable String algorithm, @Nullable Long burst, @Nullable String by, @Nullable String header,
      @Nullable String attribute, @Nullable String missingKey, @Nullable String scope, @Nullable Boolean failOpen,
      @Nullable Boolean addHeaders, @Nullable Integer maxKeys) {
    this(limits, limit, window == null ? null : DurationParser.format(window), algorithm, burst, by, header,
        attribute, missingKey, scope, failOpen, addHeaders, maxKeys, null);
  }

  /** One limit: {@code limit} per {@code window}, optionally with its own key. */
  public static RateLimitConfig of(long limit, Duration window, String by) {
    return new RateLimitConfig(null, limit, window, null, null, by, null, null, null, null, null, null);
  }

  /** Whether the limits hold across the cluster. */
  boolean clusterScope() {
    return scope().equals("cluster");
  }

  /** Whether requests without a key share one counter (rather than skip the limit). */
  boolean sharedMissingKey() {
    return missingKey().equals("shared");
  }

  /**
   * One limit of a {@code limits} list.
   *
   * @param limit the allowance per window (a token bucket's refill per window); at least 1
   * @param window a duration from 1s to 31d, or a calendar window: {@code month}, {@code week}, {@code day}
   * @param algorithm {@code fixed-window} (default), {@code sliding-window} or {@code token-bucket}
   * @param burst a token bucket's capacity (default {@code limit}); only for {@code token-bucket}
   * @param by this limit's key, else the policy's
   * @param header with {@code by: header}
   * @param attribute with {@code by: attribute}
   * @param zone a calendar window's time zone (default: the policy's {@code zone}, else {@code UTC})
   */
  public record LimitConfig(
      long limit,
      @Nullable String window,
      @Nullable String algorithm,
      @Nullable Long burst,
      @Nullable String by,
      @Nullable String header,
      @Nullable String attribute,
      @Nullable String zone) {

    public LimitConfig {
      if (limit < 1) {
        throw new ConfigException("limit", "must be at least 1");
      }
      if (window == null || window.isBlank()) {
        throw new ConfigException("window", "is required (e.g. 1s, 1m, 1h, 1d, 30d, month)");
      }
      algorithm = Algorithm.parse("algorithm", algorithm != null ? algorithm : "fixed-window").id();
      CalendarWindow.Unit unit = CalendarWindow.unit(window);
      if (unit != null) {
        window = unit.name().toLowerCase(Locale.ROOT);
        if (!algorithm.equals("fixed-window")) {
          throw new ConfigException("window", "a calendar window (" + window + ") is for algorithm: fixed-window only"
              + " (a quota); for " + algorithm + " give a duration such as 30d");
        }
        if (zone != null) {
          zone = CalendarWindow.zone("zone", zone).getId();
        }
      } else {
        Duration d;
        try {
          d = DurationParser.parse(window);
        } catch (ConfigException e) {
          throw new ConfigException("window", "'" + window + "' is not a window (a duration such as 1s, 1m, 1h, 30d,"
              + " or month, week, day)");
        }
        if (d.compareTo(MIN_WINDOW) < 0 || d.compareTo(MAX_WINDOW) > 0) {
          throw new ConfigException("window", "must be from 1s to 31d (or month, week, day)");
        }
        window = DurationParser.format(d);
        if (zone != null) {
          throw new ConfigException("zone", "is only for calendar windows (month, week, day); a " + window
              + " window is aligned to the epoch (UTC)");
        }
      }
      if (burst != null) {
        if (!algorithm.equals("token-bucket")) {
          throw new ConfigException("burst", "is only for algorithm: token-bucket");
        }
        if (burst < 1) {
          throw new ConfigException("burst", "must be at least 1");
        }
      }
      if (by != null) {
        by = by.trim().toLowerCase(Locale.ROOT);
        LimitBy.parse("by", by);
      }
    }

    /** A limit with a duration window, in the calendar's zone default. */
    public LimitConfig(long limit, @Nullable Duration window, @Nullable String algorithm, @Nullable Long burst,
        @Nullable String by, @Nullable String header, @Nullable String attribute) {
      this(limit, window == null ? null : DurationParser.format(window), algorithm, burst, by, header, attribute,
          null);
    }

    /** This limit with the policy's key (and calendar zone) where it names none, validated as a whole. */
    LimitConfig inherit(String defaultBy, @Nullable String defaultHeader, @Nullable String defaultAttribute,
        @Nullable String defaultZone) {
      boolean own = by != null;
      String b = own ? by : defaultBy;
      String h = own ? header : defaultHeader;
      String a = own ? attribute : defaultAttribute;
      LimitBy kind = LimitBy.parse("by", b);
      if (kind == LimitBy.HEADER && (h == null || h.isBlank())) {
        throw new ConfigException("header", "is required with by: header");
      }
      if (kind != LimitBy.HEADER && h != null) {
        throw new ConfigException("header", "is only used with by: header");
      }
      if (kind == LimitBy.ATTRIBUTE && (a == null || a.isBlank())) {
        throw new ConfigException("attribute", "is required with by: attribute");
      }
      if (kind != LimitBy.ATTRIBUTE && a != null) {
        throw new ConfigException("attribute", "is only used with by: attribute");
      }
      String z = zone != null || CalendarWindow.unit(window) == null ? zone : defaultZone;
      return new LimitConfig(limit, window, algorithm, burst, b, h == null ? null : h.trim(), a == null ? null : a.trim(),
          z);
    }

    /** The window as a duration; for a calendar window, its longest length. */
    Duration duration() {
      CalendarWindow c = calendarWindow();
      return c != null ? c.longest() : DurationParser.parse(window);
    }

    /** A new calendar window (its own cache) when this limit's window is one, else null. */
    @Nullable CalendarWindow calendarWindow() {
      CalendarWindow.Unit unit = CalendarWindow.unit(window);
      return unit == null ? null : new CalendarWindow(unit, zone == null ? ZoneOffset.UTC : CalendarWindow.zone("zone", zone));
    }

    Algorithm kind() {
      return Algorithm.parse("algorithm", algorithm);
    }

    LimitBy keyKind() {
      return LimitBy.parse("by", by == null ? "consumer" : by);
    }

    long capacity() {
      return burst != null ? burst : limit;
    }
  }
}
