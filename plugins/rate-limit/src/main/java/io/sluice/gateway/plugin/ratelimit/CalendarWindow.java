// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.ratelimit;

import io.sluice.gateway.api.config.ConfigException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A window that follows the calendar in a time zone: {@code month} (from the 1st, 00:00), {@code week} (ISO:
 * from Monday, 00:00) or {@code day} (from 00:00), so a monthly quota resets when its users expect it to, with
 * months of 28 to 31 days and days of 23 to 25 hours across a daylight-saving change. A window starts at the
 * first instant of its first day ({@code LocalDate.atStartOfDay(zone)}, which also handles a zone whose clocks
 * skip midnight).
 *
 * <p>The current window's edges are cached, so the hot path computes nothing until the window ends; the cache
 * is one immutable pair behind a volatile field, shared by every event loop.
 */
final class CalendarWindow {

  enum Unit {
    DAY, WEEK, MONTH
  }

  private record Span(long start, long end) {}

  final Unit unit;
  final ZoneId zone;
  private volatile Span current = new Span(0, 0);

  CalendarWindow(Unit unit, ZoneId zone) {
    this.unit = unit;
    this.zone = zone;
  }

  /** The calendar unit that {@code text} names ({@code month}, {@code week}, {@code day}), or null. */
  static @Nullable Unit unit(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "month", "1 month", "calendar-month" -> Unit.MONTH;
      case "week", "1 week", "calendar-week" -> Unit.WEEK;
      case "day", "1 day", "calendar-day" -> Unit.DAY;
      default -> null;
    };
  }

  /** Parses an IANA zone id ({@code UTC}, {@code Europe/Paris}) or an offset ({@code +02:00}). */
  static ZoneId zone(String field, String text) {
    try {
      return ZoneId.of(text.trim());
    } catch (RuntimeException e) {
      throw new ConfigException(field, "'" + text + "' is not a time zone (e.g. UTC, Europe/Paris, +02:00)");
    }
  }

  /** The longest such window (for sizing, sweeping and counter lifetimes). */
  Duration longest() {
    return switch (unit) {
      case MONTH -> Duration.ofDays(31).plusHours(1);
      case WEEK -> Duration.ofDays(7).plusHours(1);
      case DAY -> Duration.ofHours(25);
    };
  }

  /** How users write it, with its zone: {@code month (Europe/Paris)}. */
  String describe() {
    return unit.name().toLowerCase(Locale.ROOT) + " (" + zone.getId() + ")";
  }

  /** The start of the window holding {@code now}. */
  long start(long now) {
    Span s = current;
    if (now >= s.start && now < s.end) {
      return s.start;
    }
    s = span(now);
    current = s;
    return s.start;
  }

  /** The end (exclusive) of the window that starts at {@code start}. */
  long end(long start) {
    Span s = current;
    if (s.start == start && s.end > start) {
      return s.end;
    }
    return span(start).end;
  }

  private Span span(long at) {
    LocalDate day = Instant.ofEpochMilli(at).atZone(zone).toLocalDate();
    LocalDate first = switch (unit) {
      case MONTH -> day.withDayOfMonth(1);
      case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      case DAY -> day;
    };
    LocalDate next = switch (unit) {
      case MONTH -> first.plusMonths(1);
      case WEEK -> first.plusWeeks(1);
      case DAY -> first.plusDays(1);
    };
    return new Span(first.atStartOfDay(zone).toInstant().toEpochMilli(),
        next.atStartOfDay(zone).toInstant().toEpochMilli());
  }
}
