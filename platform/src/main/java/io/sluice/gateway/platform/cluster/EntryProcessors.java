// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import io.sluice.gateway.api.cluster.Budget;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The atomic updates of the Hazelcast backend: each runs on the member owning the key's partition, one at a
 * time per key (linearizable per key, without the CP subsystem), and hands its result, not itself, to the
 * backups, so that a backup applies exactly what the owner computed whatever its clock says. They are platform
 * classes holding only primitives and platform values, so every member can run them.
 *
 * <p>Expiry is kept in the value ({@code now >= expiresAt} means absent) and mirrored as the entry's
 * time-to-live so that Hazelcast drops the entry; the owner's wall clock decides. The mirror is
 * {@link #TTL_MARGIN_MILLIS} longer than the value's own expiry: Hazelcast keeps an entry's times at a resolution
 * of seconds, so a time-to-live of a few hundred milliseconds could drop the entry before its value expired —
 * for a token bucket (whose lifetime is the time until it is full again, often well under a second) that
 * recreated the bucket full, and a cluster bucket admitted nearly all it was offered (found by
 * RateLimitClusterIT). The value decides; the margin only keeps the entry a little longer.
 */
final class EntryProcessors {

  /**
   * How much longer than its value's expiry Hazelcast keeps a counter, budget, store or cache entry
   * ({@link ExpiringEntries}).
   */
  static final long TTL_MARGIN_MILLIS = 2_000;

  /** The time-to-live Hazelcast is given for an entry whose value expires in {@code millis}: the margin longer. */
  static long keptFor(long millis) {
    return millis + TTL_MARGIN_MILLIS;
  }

  private EntryProcessors() {}

  /** Adds to a counter ({@code long[]{value, expiresAtMillis}}) and returns the new value. */
  static final class Add implements EntryProcessor<String, long[], Long> {
    private static final long serialVersionUID = 1L;
    private final long delta;
    private final long ttlMillis;
    private long @Nullable [] result;

    Add(long delta, long ttlMillis) {
      this.delta = delta;
      this.ttlMillis = ttlMillis;
    }

    @Override
    public Long process(Map.Entry<String, long[]> entry) {
      long now = System.currentTimeMillis();
      long[] v = entry.getValue();
      long[] next = v == null || now >= v[1] ? new long[] {delta, now + ttlMillis} : new long[] {v[0] + delta, v[1]};
      set(entry, next, keptFor(next[1] - now));
      result = next;
      return next[0];
    }

    @Override
    public EntryProcessor<String, long[], Long> getBackupProcessor() {
      return new Apply<>(result, result == null ? 1 : keptFor(result[1] - System.currentTimeMillis()));
    }
  }

  /** Draws on a budget ({@code double[]{used, atMillis, expiresAtMillis}}) with {@link Budget}'s arithmetic. */
  static final class Take implements EntryProcessor<String, double[], long[]> {
    private static final long serialVersionUID = 1L;
    private final long wanted;
    private final long limit;
    private final long refill;
    private final long periodMillis;
    private double @Nullable [] result;

    Take(long wanted, Budget budget) {
      this.wanted = wanted;
      this.limit = budget.limit();
      this.refill = budget.refill();
      this.periodMillis = budget.period().toMillis();
    }

    @Override
    public long[] process(Map.Entry<String, double[]> entry) {
      Budget budget = new Budget(limit, refill, Duration.ofMillis(periodMillis));
      long now = System.currentTimeMillis();
      double[] a = entry.getValue();
      boolean fresh = a == null || now >= (long) a[2];
      double used = fresh ? 0 : budget.usedAt(a[0], (long) a[1], now);
      long expires = fresh ? now + periodMillis : (long) a[2];
      long granted = budget.grantable(wanted, used);
      double next = used + granted;
      long expiresAt = budget.isBucket() ? now + budget.bucketLifetimeMillis(next) : expires;
      double[] state = {next, now, expiresAt};
      set(entry, state, keptFor(expiresAt - now));
      result = state;
      return new long[] {granted, budget.left(next)};
    }

    @Override
    public EntryProcessor<String, double[], long[]> getBackupProcessor() {
      return new Apply<>(result, result == null ? 1 : keptFor((long) result[2] - System.currentTimeMillis()));
    }
  }

  /**
   * Stores a value ({@link ExpiringEntries}' form) unless one is there (an expired one counts as none); returns
   * whether it stored. The owner's wall clock sets the expiry.
   */
  static final class PutIfAbsent implements EntryProcessor<String, byte[], Boolean> {
    private static final long serialVersionUID = 2L; // 2: the value in ExpiringEntries' form
    private final byte[] value;
    private final long ttlMillis;
    private byte @Nullable [] stored;

    PutIfAbsent(byte[] value, long ttlMillis) {
      this.value = value;
      this.ttlMillis = ttlMillis;
    }

    @Override
    public Boolean process(Map.Entry<String, byte[]> entry) {
      long now = System.currentTimeMillis();
      if (ExpiringEntries.live(entry.getValue(), now)) {
        return false;
      }
      byte[] wire = ExpiringEntries.wire(value, now + ttlMillis);
      set(entry, wire, keptFor(ttlMillis));
      stored = wire;
      return true;
    }

    @Override
    public @Nullable EntryProcessor<String, byte[], Boolean> getBackupProcessor() {
      return stored == null ? null : new Apply<>(stored, keptFor(ttlMillis));
    }
  }

  /** A backup's part: writes what the owner computed. */
  static final class Apply<V, R> implements EntryProcessor<String, V, R> {
    private static final long serialVersionUID = 1L;
    private final @Nullable V value;
    private final long ttlMillis;

    Apply(@Nullable V value, long ttlMillis) {
      this.value = value;
      this.ttlMillis = ttlMillis;
    }

    @Override
    public @Nullable R process(Map.Entry<String, V> entry) {
      if (value != null) {
        set(entry, value, ttlMillis);
      }
      return null;
    }
  }

  private static <V> void set(Map.Entry<String, V> entry, V value, long ttlMillis) {
    ((ExtendedMapEntry<String, V>) entry).setValue(value, Math.max(1, ttlMillis), TimeUnit.MILLISECONDS);
  }
}
