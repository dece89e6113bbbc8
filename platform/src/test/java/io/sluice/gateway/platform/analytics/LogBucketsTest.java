// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The histogram buckets: exact below 16 µs, within 6.25% above, monotonic, and merges that add up exactly. */
class LogBucketsTest {

  @Test
  void isExactBelowSixteenMicrosecondsAndWithinSixPercentAbove() {
    assertThat(LogBuckets.index(5_000)).isEqualTo(5);
    assertThat(LogBuckets.middleMillis(5)).isCloseTo(0.0055, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(LogBuckets.index(-1)).isZero();
    int previous = -1;
    for (double micros = 16; micros < 3.6e9; micros *= 1.013) {
      long v = (long) micros;
      int i = LogBuckets.index(v * 1000);
      assertThat(i).as("monotonic at %d µs", v).isGreaterThanOrEqualTo(previous);
      previous = i;
      assertThat(LogBuckets.lowerMicros(i)).as("lower bound at %d µs", v).isLessThanOrEqualTo(v);
      assertThat(LogBuckets.lowerMicros(i + 1)).as("next bucket at %d µs", v).isGreaterThan(v);
      double error = Math.abs(LogBuckets.middleMillis(i) * 1000 - v) / v;
      assertThat(error).as("relative error at %d µs", v).isLessThanOrEqualTo(0.0625);
    }
    assertThat(LogBuckets.index(Long.MAX_VALUE)).isEqualTo(LogBuckets.COUNT - 1);
  }

  @Test
  void compactHistogramsMergeByAddingCounts() {
    long[] a = new long[LogBuckets.COUNT];
    long[] b = new long[LogBuckets.COUNT];
    a[3] = 2;
    a[40] = 5;
    b[40] = 1;
    b[200] = 7;
    CompactHistogram merged = CompactHistogram.of(a).plus(CompactHistogram.of(b));
    assertThat(merged.total()).isEqualTo(15);
    assertThat(merged.size()).isEqualTo(3);
    long[] dense = new long[LogBuckets.COUNT];
    merged.addTo(dense);
    assertThat(dense[3]).isEqualTo(2);
    assertThat(dense[40]).isEqualTo(6);
    assertThat(dense[200]).isEqualTo(7);
    assertThat(CompactHistogram.of(new long[LogBuckets.COUNT])).isSameAs(CompactHistogram.EMPTY);
    assertThat(CompactHistogram.EMPTY.plus(merged)).isSameAs(merged);
  }

  @Test
  void percentilesAreTheMiddleOfTheBucketOfTheirRank() {
    long[] counts = new long[LogBuckets.COUNT];
    counts[LogBuckets.index(1_000_000)] = 90; // 1 ms
    counts[LogBuckets.index(100_000_000)] = 10; // 100 ms
    assertThat(UsageSum.percentile(counts, 0.5)).isCloseTo(1.0, org.assertj.core.data.Percentage.withPercentage(6.25));
    assertThat(UsageSum.percentile(counts, 0.9)).isCloseTo(1.0, org.assertj.core.data.Percentage.withPercentage(6.25));
    assertThat(UsageSum.percentile(counts, 0.95)).isCloseTo(100.0, org.assertj.core.data.Percentage.withPercentage(6.25));
    assertThat(UsageSum.percentile(new long[LogBuckets.COUNT], 0.5)).isNull();
    assertThat(UsageSum.percentile(null, 0.5)).isNull();
  }
}
