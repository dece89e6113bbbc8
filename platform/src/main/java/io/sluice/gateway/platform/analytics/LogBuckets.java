// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.analytics;

/**
 * The buckets of every latency histogram: log-linear over microseconds, 8 sub-buckets per power of two, so a
 * value read back from its bucket (the bucket's middle) is within 6.25% of the value recorded. Exact below
 * 16 µs; everything from 2^34 µs (about 4.8 h) up lands in the last bucket. {@value #COUNT} buckets, so an
 * index fits in a byte and two histograms of the same scheme merge by adding counts, whichever node made them.
 *
 * <p>Why not HdrHistogram: its smallest useful layout for this range is a few KB per histogram, and it would be
 * a new dependency on the request path; this one is a {@code long[256]} while a minute is live and a few dozen
 * packed longs once compacted ({@link CompactHistogram}), at the same precision a dashboard shows.
 */
final class LogBuckets {

  /** The number of buckets. */
  static final int COUNT = 256;

  private static final int LINEAR = 16;
  private static final int SUB_BITS = 3;

  private LogBuckets() {}

  /** The bucket of a duration in nanoseconds (negative counts as 0). */
  static int index(long nanos) {
    long micros = nanos <= 0 ? 0 : nanos / 1000;
    if (micros < LINEAR) {
      return (int) micros;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(micros); // >= 4
    int sub = (int) (micros >>> (exponent - SUB_BITS)) & ((1 << SUB_BITS) - 1);
    int i = LINEAR + ((exponent - 4) << SUB_BITS) + sub;
    return Math.min(i, COUNT - 1);
  }

  /** The lowest microsecond value of bucket {@code i}. */
  static long lowerMicros(int i) {
    if (i < LINEAR) {
      return i;
    }
    int exponent = ((i - LINEAR) >> SUB_BITS) + 4;
    int sub = (i - LINEAR) & ((1 << SUB_BITS) - 1);
    return (long) ((1 << SUB_BITS) + sub) << (exponent - SUB_BITS);
  }

  /** The value bucket {@code i} stands for, in milliseconds: its middle. */
  static double middleMillis(int i) {
    long lower = lowerMicros(i);
    long width = i < LINEAR ? 1 : 1L << (((i - LINEAR) >> SUB_BITS) + 4 - SUB_BITS);
    return (lower + width / 2.0) / 1000.0;
  }
}
