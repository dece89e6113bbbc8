// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.ratelimit;

import io.sluice.gateway.api.AttributeKey;
import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.api.Exchange;
import io.sluice.gateway.api.cluster.Budget;
import io.sluice.gateway.api.config.DurationParser;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured limit, compiled: its numbers, how it finds a request's key, and its slots (one per key) in a
 * map of its own, so that a lookup needs no composed key. Everything a request reads is precomputed here.
 */
final class Limit {

  /** The key of requests that have none, with {@code missingKey: shared}; no header value or id contains NUL. */
  static final String MISSING = "\u0000missing";

  /** The key that every new key shares while the limit holds {@code maxKeys} keys. */
  static final String OVERFLOW = "\u0000overflow";

  private static final Logger log = LoggerFactory.getLogger(Limit.class);

  final int index;
  final Algorithm algorithm;
  final long limit;
  final long capacity;
  /**
   * The window's length; for a calendar window ({@link #calendar} set) its longest length (a month: 31 days,
   * a day: 25 hours), used only for sizing and sweeping: window edges come from {@link #windowStart} and
   * {@link #windowEnd}.
   */
  final long periodMillis;
  /** A calendar window ({@code window: month}, {@code day} or {@code week} in {@link #zone}), or null. */
  final @Nullable CalendarWindow calendar;
  /** A token bucket's refill, in tokens per millisecond. */
  final double perMilli;
  final LimitBy by;
  final @Nullable String header;
  final @Nullable AttributeKey<Object> attribute;
  final boolean sharedMissingKey;
  /** {@code RateLimit-Limit}: the window's allowance, or the bucket's capacity. */
  final String limitHeader;
  /** For 429 messages and logs, e.g. {@code 10 per 1s (token-bucket)}; never the key. */
  final String description;
  /** Cluster scope: the counter key's prefix, unique per route, limit and numbers. */
  final String counterPrefix;
  /** Cluster scope: the budget the keys of this limit draw on. */
  final Budget budget;

  private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
  private final Function<String, Slot> newSlot;
  private final long sweepEveryMillis;
  private final AtomicLong nextSweep = new AtomicLong(Long.MIN_VALUE);
  private final int maxKeys;
  /** When a full map may be swept again: at most once a second, so that a flood of new keys costs no O(n) each. */
  private final AtomicLong nextFullSweep = new AtomicLong(Long.MIN_VALUE);
  private final AtomicBoolean warned = new AtomicBoolean();
  /** The last {@code RateLimit-Reset} text past {@link HeaderText#CACHED} (long windows): it changes once a second. */
  private volatile ResetText lastReset = new ResetText(-1, "");

  private record ResetText(long seconds, String text) {}

  Limit(int index, String routeId, RateLimitConfig.LimitConfig config, boolean sharedMissingKey, int maxKeys,
      Function<Limit, Function<String, Slot>> slots) {
    this.maxKeys = maxKeys;
    this.index = index;
    this.algorithm = config.kind();
    this.limit = config.limit();
    this.capacity = config.capacity();
    this.calendar = config.calendarWindow();
    Duration window = calendar != null ? calendar.longest() : config.duration();
    this.periodMillis = window.toMillis();
    this.perMilli = limit / (double) periodMillis;
    this.by = config.keyKind();
    this.header = config.header();
    this.attribute = config.attribute() == null ? null : AttributeKey.of(config.attribute(), Object.class);
    this.sharedMissingKey = sharedMissingKey;
    this.limitHeader = Long.toString(algorithm == Algorithm.TOKEN_BUCKET ? capacity : limit);
    this.description = limit + " per " + (calendar != null ? calendar.describe() : DurationParser.format(window))
        + (algorithm == Algorithm.TOKEN_BUCKET ? " (token-bucket, burst " + capacity + ")" : " (" + algorithm.id() + ")");
    this.counterPrefix = routeId + "\u0000" + index + ":" + algorithm.id() + ":" + limit + ":" + capacity + "/"
        + (calendar != null ? calendar.describe() : Long.toString(periodMillis)) + "\u0000";
    // A window key lives two windows: the sliding estimate reads the previous one, and a node whose clock runs
    // ahead must not see the counter expire while a slower node is still in that window.
    this.budget = algorithm == Algorithm.TOKEN_BUCKET
        ? Budget.bucket(capacity, limit, window)
        : Budget.window(limit, window.multipliedBy(2));
    this.sweepEveryMillis = Math.max(1_000, Math.min(periodMillis, 60_000));
    this.newSlot = slots.apply(this);
  }

  /** The text of a {@code RateLimit-Reset} of {@code seconds}: built at most once a second per limit. */
  String resetText(long seconds) {
    if (seconds <= HeaderText.CACHED) {
      return HeaderText.of(seconds);
    }
    ResetText r = lastReset;
    if (r.seconds() != seconds) {
      r = new ResetText(seconds, Long.toString(seconds));
      lastReset = r;
    }
    return r.text();
  }

  /** The start of the window holding {@code now}: epoch-aligned, or the calendar unit's start in its zone. */
  long windowStart(long now) {
    if (calendar != null) {
      return calendar.start(now);
    }
    return now - Math.floorMod(now, periodMillis);
  }

  /** The end (exclusive) of the window that starts at {@code start}. */
  long windowEnd(long start) {
    if (calendar != null) {
      return calendar.end(start);
    }
    return start + periodMillis;
  }

  /** This request's key, or null when it has none and missing keys are skipped. Allocation-free for most keys. */
  @Nullable String key(Exchange exchange) {
    String key = switch (by) {
      case CONSUMER -> {
        Consumer c = exchange.consumer();
        yield c == null ? null : c.id();
      }
      case IP -> {
        String a = exchange.request().clientAddress();
        yield a.isEmpty() ? null : a;
      }
      case HEADER -> exchange.request().headers().get(header);
      case ROUTE -> "";
      case ATTRIBUTE -> {
        Object v = exchange.get(attribute);
        yield v == null ? null : v.toString();
      }
    };
    if (key == null) {
      return sharedMissingKey ? MISSING : null;
    }
    return key;
  }

  /** The slot of {@code key}, created on first use; sweeps idle slots once in a while (on this thread). */
  Slot slot(String key, long now) {
    long next = nextSweep.get();
    if (now >= next && nextSweep.compareAndSet(next, now + sweepEveryMillis)) {
      sweep(now);
    }
    Slot s = slots.get(key);
    if (s != null) {
      return s;
    }
    if (slots.size() >= maxKeys) {
      long full = nextFullSweep.get();
      if (now >= full && nextFullSweep.compareAndSet(full, now + 1_000)) {
        sweep(now);
      }
      if (slots.size() >= maxKeys) {
        if (warned.compareAndSet(false, true)) {
          log.warn("rate limit {} holds its maxKeys ({}) keys: new keys share one counter until some go idle",
              description, maxKeys);
        }
        key = OVERFLOW; // bounded memory; the newcomers are limited together, never let through unlimited
      }
    }
    return slots.computeIfAbsent(key, newSlot);
  }

  /** Drops the slots that hold nothing worth keeping, marking them gone under their lock. */
  void sweep(long now) {
    for (Iterator<Map.Entry<String, Slot>> it = slots.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Slot> e = it.next();
      Slot s = e.getValue();
      synchronized (s) {
        if (s.idle(now)) {
          s.gone = true;
          it.remove();
        }
      }
    }
  }

  /** How many keys this limit holds state for (tests, metrics). */
  int keys() {
    return slots.size();
  }

  Iterable<Slot> slots() {
    return slots.values();
  }
}
