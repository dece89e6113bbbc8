// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.analytics;

/**
 * A histogram of {@link LogBuckets} as it is kept once its minute is over: only the non-empty buckets, each one
 * packed long ({@code index << 48 | count}), sorted by index. Immutable; {@link #plus} merges two by adding the
 * counts of equal buckets, which is exact: the percentiles of a merge are those of all the values together.
 */
final class CompactHistogram {

  static final CompactHistogram EMPTY = new CompactHistogram(new long[0], 0);

  private static final long COUNT_MASK = (1L << 48) - 1;

  private final long[] packed;
  private final long total;

  private CompactHistogram(long[] packed, long total) {
    this.packed = packed;
    this.total = total;
  }

  /** The non-empty buckets of dense {@code counts} (indexed by bucket). */
  static CompactHistogram of(long[] counts) {
    int n = 0;
    for (long c : counts) {
      if (c != 0) {
        n++;
      }
    }
    if (n == 0) {
      return EMPTY;
    }
    long[] packed = new long[n];
    long total = 0;
    int j = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] != 0) {
        packed[j++] = pack(i, counts[i]);
        total += counts[i];
      }
    }
    return new CompactHistogram(packed, total);
  }

  /** From (index, count) pairs sorted by index, as {@link BucketCodec} reads them. */
  static CompactHistogram of(int[] indexes, long[] counts) {
    long[] packed = new long[indexes.length];
    long total = 0;
    for (int i = 0; i < indexes.length; i++) {
      if (indexes[i] < 0 || indexes[i] >= LogBuckets.COUNT || counts[i] < 0 || counts[i] > COUNT_MASK
          || (i > 0 && indexes[i] <= indexes[i - 1])) {
        throw new IllegalArgumentException("histogram bucket " + indexes[i] + " out of order or range");
      }
      packed[i] = pack(indexes[i], counts[i]);
      total += counts[i];
    }
    return packed.length == 0 ? EMPTY : new CompactHistogram(packed, total);
  }

  private static long pack(int index, long count) {
    return ((long) index << 48) | (count & COUNT_MASK);
  }

  /** The values counted. */
  long total() {
    return total;
  }

  /** The number of non-empty buckets. */
  int size() {
    return packed.length;
  }

  int index(int i) {
    return (int) (packed[i] >>> 48);
  }

  long count(int i) {
    return packed[i] & COUNT_MASK;
  }

  /** This histogram and {@code other} together. */
  CompactHistogram plus(CompactHistogram other) {
    if (other.packed.length == 0) {
      return this;
    }
    if (packed.length == 0) {
      return other;
    }
    long[] merged = new long[packed.length + other.packed.length];
    int i = 0;
    int j = 0;
    int n = 0;
    while (i < packed.length || j < other.packed.length) {
      int a = i < packed.length ? index(i) : Integer.MAX_VALUE;
      int b = j < other.packed.length ? other.index(j) : Integer.MAX_VALUE;
      if (a == b) {
        merged[n++] = pack(a, count(i++) + other.count(j++));
      } else if (a < b) {
        merged[n++] = packed[i++];
      } else {
        merged[n++] = other.packed[j++];
      }
    }
    return new CompactHistogram(n == merged.length ? merged : java.util.Arrays.copyOf(merged, n),
        total + other.total);
  }

  /** Adds this histogram's counts to dense {@code counts}. */
  void addTo(long[] counts) {
    for (int i = 0; i < packed.length; i++) {
      counts[index(i)] += count(i);
    }
  }
}
