// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.analytics;

import io.vertx.core.MultiMap;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A query of {@code GET /admin/analytics} (docs/observability.md), parsed and checked: the range is aligned to
 * whole buckets of {@code step} ({@code from} down, {@code to} up), so that every bucket of the series is
 * complete in what it covers.
 *
 * @param from the start of the first bucket (epoch milliseconds)
 * @param to the end of the last bucket, exclusive
 * @param by the groups' dimension, null for no groups
 * @param route only this route's exchanges, or all
 * @param consumer only this consumer's exchanges, or all
 * @param limit the most groups
 */
public record AnalyticsQuery(long from, long to, Resolution step, @Nullable GroupBy by, @Nullable String route,
    @Nullable String consumer, int limit) {

  /** The most buckets a series may have. */
  static final int MAX_BUCKETS = 1500;

  static final int DEFAULT_LIMIT = 10;
  static final int MAX_LIMIT = 100;

  private static final List<String> NAMES = List.of("from", "to", "step", "by", "route", "consumer", "limit");

  /** The buckets of the series. */
  int buckets() {
    return (int) ((to - from) / step.millis());
  }

  /**
   * Parses the query string's parameters (others are ignored); {@code now} is the default {@code to}.
   *
   * @throws BadAnalyticsQuery naming the first parameter that is wrong
   */
  public static AnalyticsQuery parse(MultiMap params, Instant now) {
    for (String name : NAMES) {
      if (params.getAll(name).size() > 1) {
        throw new BadAnalyticsQuery(name, "given more than once");
      }
    }
    // By default up to now, the current minute included (to is exclusive).
    long to = instant("to", params.get("to"), now.toEpochMilli() + 1);
    // By default the hour up to now: the 60 minutes that end with the current one.
    long from = instant("from", params.get("from"), Resolution.MINUTE.ceil(to) - Duration.ofHours(1).toMillis());
    if (from >= to) {
      throw new BadAnalyticsQuery("from", "must be before to");
    }
    String stepText = params.get("step");
    Resolution step;
    if (stepText == null) {
      long range = to - from;
      step = range <= Duration.ofHours(6).toMillis() ? Resolution.MINUTE
          : range <= Duration.ofDays(7).toMillis() ? Resolution.HOUR : Resolution.DAY;
    } else {
      step = switch (stepText) {
        case "minute" -> Resolution.MINUTE;
        case "hour" -> Resolution.HOUR;
        case "day" -> Resolution.DAY;
        default -> throw new BadAnalyticsQuery("step", "must be minute, hour or day, not '" + shown(stepText) + "'");
      };
    }
    long alignedFrom = step.floor(from);
    long alignedTo = step.ceil(to);
    long buckets = (alignedTo - alignedFrom) / step.millis();
    if (buckets > MAX_BUCKETS) {
      throw new BadAnalyticsQuery("step", "a step of a " + step.label() + " from " + Instant.ofEpochMilli(from)
          + " to " + Instant.ofEpochMilli(to) + " makes " + buckets + " buckets, at most " + MAX_BUCKETS
          + " are answered: take a larger step or a shorter range");
    }
    String byText = params.get("by");
    GroupBy by = null;
    if (byText != null) {
      by = switch (byText) {
        case "route", "consumer", "status", "upstream" -> GroupBy.valueOf(byText.toUpperCase(Locale.ROOT));
        default -> throw new BadAnalyticsQuery("by", "must be route, consumer, status or upstream, not '"
            + shown(byText) + "'");
      };
    }
    String route = nonBlank("route", params.get("route"));
    String consumer = nonBlank("consumer", params.get("consumer"));
    int limit = DEFAULT_LIMIT;
    String limitText = params.get("limit");
    if (limitText != null) {
      try {
        limit = Integer.parseInt(limitText);
      } catch (NumberFormatException e) {
        throw new BadAnalyticsQuery("limit", "not a whole number: '" + shown(limitText) + "'");
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        throw new BadAnalyticsQuery("limit", "must be 1.." + MAX_LIMIT + ", was " + limit);
      }
    }
    return new AnalyticsQuery(alignedFrom, alignedTo, step, by, route, consumer, limit);
  }

  /** The last millisecond of the year 9999: later instants are refused (bucket arithmetic stays in range). */
  private static final long LATEST = 253_402_300_799_999L;

  private static long instant(String name, @Nullable String text, long otherwise) {
    if (text == null) {
      return otherwise;
    }
    long value = parsedInstant(name, text);
    if (value < 0 || value > LATEST) {
      throw new BadAnalyticsQuery(name, "out of range (1970..9999): '" + shown(text) + "'");
    }
    return value;
  }

  private static long parsedInstant(String name, String text) {
    if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw new BadAnalyticsQuery(name, "epoch milliseconds out of range: '" + shown(text) + "'");
      }
    }
    try {
      return Instant.parse(text).toEpochMilli();
    } catch (DateTimeParseException | ArithmeticException e) {
      try {
        return OffsetDateTime.parse(text).toInstant().toEpochMilli();
      } catch (DateTimeParseException | ArithmeticException e2) {
        throw new BadAnalyticsQuery(name, "not an ISO-8601 instant (2026-12-02T01:00:00Z) or epoch milliseconds: '"
            + shown(text) + "'");
      }
    }
  }

  private static @Nullable String nonBlank(String name, @Nullable String value) {
    if (value != null && value.isBlank()) {
      throw new BadAnalyticsQuery(name, "must not be blank");
    }
    return value;
  }

  /** A parameter's value as an error message quotes it: at most 64 characters. */
  private static String shown(String value) {
    return value.length() <= 64 ? value : value.substring(0, 64) + "...";
  }
}
