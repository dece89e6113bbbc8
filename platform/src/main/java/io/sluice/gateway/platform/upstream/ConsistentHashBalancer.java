// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.upstream;

import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A hash ring with virtual nodes (Karger et al.; what Envoy calls ring hash): each target owns
 * {@value #POINTS_PER_WEIGHT} points per unit of weight on a 64-bit ring, and a key goes to the owner of the
 * first point at or after the key's hash. Adding or removing one of N targets moves only about 1/N of the
 * keys; when the owner is unavailable the key walks on to the next available target, so only that target's
 * keys move while it is out. Requests without a key are spread round-robin.
 */
final class ConsistentHashBalancer implements Balancer {

  static final int POINTS_PER_WEIGHT = 160;
  private static final int MAX_POINTS_PER_TARGET = 16_000;

  private final long[] points;
  private final TargetState[] owners;
  private final RoundRobinBalancer keyless;

  ConsistentHashBalancer(List<TargetState> targets) {
    int total = 0;
    for (TargetState t : targets) {
      total += pointsFor(t);
    }
    long[] hashes = new long[total];
    TargetState[] owner = new TargetState[total];
    int n = 0;
    for (TargetState t : targets) {
      String id = t.target().toString();
      for (int i = 0; i < pointsFor(t); i++) {
        hashes[n] = hash(id + "#" + i);
        owner[n] = t;
        n++;
      }
    }
    Integer[] order = new Integer[total];
    for (int i = 0; i < total; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compareUnsigned(hashes[a], hashes[b]));
    this.points = new long[total];
    this.owners = new TargetState[total];
    for (int i = 0; i < total; i++) {
      points[i] = hashes[order[i]];
      owners[i] = owner[order[i]];
    }
    this.keyless = new RoundRobinBalancer(targets);
  }

  private static int pointsFor(TargetState t) {
    return Math.min(MAX_POINTS_PER_TARGET, POINTS_PER_WEIGHT * t.target().weight());
  }

  @Override
  public @Nullable TargetState pick(@Nullable String key, long now, @Nullable TargetState avoid) {
    if (key == null) {
      return keyless.pick(null, now, avoid);
    }
    int start = firstAtOrAfter(hash(key));
    for (int k = 0; k < owners.length; k++) {
      TargetState t = owners[(start + k) % owners.length];
      if (Balancer.eligible(t, now, avoid)) {
        return t;
      }
    }
    return null;
  }

  private int firstAtOrAfter(long h) {
    int lo = 0;
    int hi = points.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (Long.compareUnsigned(points[mid], h) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo == points.length ? 0 : lo;
  }

  /** 64-bit FNV-1a over the UTF-16 chars, then MurmurHash3's finaliser to spread similar keys. */
  static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      h = (h ^ (c & 0xff)) * 0x100000001b3L;
      h = (h ^ (c >>> 8)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
