// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * Parses the durations users write in configuration: {@code "250ms"}, {@code "30s"}, {@code "5m"},
 * {@code "1h"}, {@code "2d"}, or ISO-8601 ({@code "PT30S"}). A bare number is refused: a unit is always
 * required, so that {@code timeout: 30} cannot silently mean milliseconds to one reader and seconds to another.
 */
public final class DurationParser {

  private DurationParser() {}

  /**
   * @throws ConfigException with an empty path when the text is not a duration
   */
  public static Duration parse(String text) {
    String s = text.trim();
    if (s.startsWith("P") || s.startsWith("p")) {
      try {
        return Duration.parse(s);
      } catch (DateTimeParseException e) {
        throw invalid(text);
      }
    }
    int end = 0;
    while (end < s.length() && Character.isDigit(s.charAt(end))) {
      end++;
    }
    if (end == 0 || end == s.length()) {
      throw invalid(text);
    }
    long n;
    try {
      n = Long.parseLong(s.substring(0, end));
    } catch (NumberFormatException e) {
      throw invalid(text);
    }
    return switch (s.substring(end).trim()) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default -> throw invalid(text);
    };
  }

  /** Formats a duration the way users write it: {@code 250ms}, {@code 30s}, {@code 5m}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0 && ms != 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms != 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0 && ms != 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }

  private static ConfigException invalid(String text) {
    return new ConfigException("", "'" + text + "' is not a duration (e.g. 250ms, 30s, 5m, 1h)");
  }
}
