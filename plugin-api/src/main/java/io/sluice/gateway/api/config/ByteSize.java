// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api.config;

/**
 * A size in bytes, written in configuration as a number of bytes or with a binary unit: {@code 512},
 * {@code "16KB"}, {@code "10MB"}, {@code "1GB"} (1 KB = 1024 bytes). Units are case-insensitive.
 *
 * @param bytes the size in bytes, never negative
 */
public record ByteSize(long bytes) {

  public ByteSize {
    if (bytes < 0) {
      throw new ConfigException("", "size must not be negative");
    }
  }

  public static ByteSize ofBytes(long bytes) {
    return new ByteSize(bytes);
  }

  public static ByteSize ofKilobytes(long kilobytes) {
    return new ByteSize(Math.multiplyExact(kilobytes, 1024L));
  }

  public static ByteSize ofMegabytes(long megabytes) {
    return new ByteSize(Math.multiplyExact(megabytes, 1024L * 1024));
  }

  /**
   * Parses {@code "10MB"}, {@code "16 KB"}, {@code "512B"} or {@code "512"}.
   *
   * @throws ConfigException with an empty path when the text is not a size
   */
  public static ByteSize parse(String text) {
    String s = text.trim().toUpperCase(java.util.Locale.ROOT);
    int end = 0;
    while (end < s.length() && Character.isDigit(s.charAt(end))) {
      end++;
    }
    if (end == 0) {
      throw new ConfigException("", "'" + text + "' is not a size (e.g. 512, 16KB, 10MB, 1GB)");
    }
    long number;
    try {
      number = Long.parseLong(s.substring(0, end));
    } catch (NumberFormatException e) {
      throw new ConfigException("", "'" + text + "' is too large");
    }
    long unit =
        switch (s.substring(end).trim()) {
          case "", "B" -> 1L;
          case "K", "KB", "KIB" -> 1024L;
          case "M", "MB", "MIB" -> 1024L * 1024;
          case "G", "GB", "GIB" -> 1024L * 1024 * 1024;
          default -> throw new ConfigException("", "'" + text + "' has an unknown unit (use B, KB, MB or GB)");
        };
    try {
      return new ByteSize(Math.multiplyExact(number, unit));
    } catch (ArithmeticException e) {
      throw new ConfigException("", "'" + text + "' is too large");
    }
  }

  @Override
  public String toString() {
    if (bytes != 0 && bytes % (1024L * 1024 * 1024) == 0) {
      return bytes / (1024L * 1024 * 1024) + "GB";
    }
    if (bytes != 0 && bytes % (1024L * 1024) == 0) {
      return bytes / (1024L * 1024) + "MB";
    }
    if (bytes != 0 && bytes % 1024 == 0) {
      return bytes / 1024 + "KB";
    }
    return bytes + "B";
  }
}
