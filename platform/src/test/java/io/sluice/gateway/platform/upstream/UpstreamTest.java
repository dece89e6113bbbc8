// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.platform.config.BalancerKind;
import io.sluice.gateway.platform.config.CircuitBreakerConfig;
import io.sluice.gateway.platform.config.OutlierDetectionConfig;
import io.sluice.gateway.platform.config.RetryConfig;
import io.sluice.gateway.platform.config.TargetConfig;
import io.sluice.gateway.platform.config.UpstreamConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The balancers, outlier ejection and Retry-After holds, driven by a test clock. */
class UpstreamTest {

  private final AtomicLong clock = new AtomicLong(1_000_000_000_000L);
  private final UpstreamRegistry registry = new UpstreamRegistry(null, clock::get);

  private Upstream upstream(BalancerKind kind, @Nullable OutlierDetectionConfig outliers, String... targets) {
    return upstream("u", kind, outliers, null, targets);
  }

  private Upstream upstream(
      String name, BalancerKind kind, @Nullable OutlierDetectionConfig outliers, @Nullable CircuitBreakerConfig breaker,
      String... targets) {
    List<TargetConfig> list = new ArrayList<>();
    for (String t : targets) {
      String[] parts = t.split(" ");
      list.add(new TargetConfig(parts[0], parts.length > 1 ? Integer.parseInt(parts[1]) : null));
    }
    String hashOn = kind == BalancerKind.CONSISTENT_HASH ? "header:x-user" : null;
    Upstream u = registry.build(name, "", new UpstreamConfig(list, kind, hashOn, null, null, outliers, breaker,
        RetryConfig.defaults(), null));
    u.activate();
    return u;
  }

  private static String host(@Nullable Attempt a) {
    return a == null ? "none" : a.target().host();
  }

  /** Picks and completes {@code n} requests, counting targets. */
  private static Map<String, Integer> spread(Upstream u, int n) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < n; i++) {
      Attempt a = u.begin(null, null);
      counts.merge(host(a), 1, Integer::sum);
      if (a != null) {
        u.record(a, Outcome.SUCCESS, 200);
        u.end(a);
      }
    }
    return counts;
  }

  @Test
  void everyRecordedOutcomeAndEjectionReachesTheListener() {
    List<String> seen = new ArrayList<>();
    registry.listen(new UpstreamListener() {
      @Override
      public void attempted(String upstream, Target target, Outcome outcome, int status, long latencyNanos) {
        seen.add(upstream + " " + target.host() + " " + outcome + " " + status + " " + latencyNanos);
      }

      @Override
      public void ejected(String upstream, Target target, long forNanos) {
        seen.add(upstream + " " + target.host() + " ejected " + forNanos);
      }
    });
    Upstream u = upstream(BalancerKind.ROUND_ROBIN,
        new OutlierDetectionConfig(2, java.time.Duration.ofSeconds(10), null, null), "http://a:1");
    Attempt first = u.begin(null, null);
    clock.addAndGet(5_000_000);
    u.record(first, Outcome.SUCCESS, 200);
    u.record(first, Outcome.SUCCESS, 200); // an attempt is recorded once
    u.end(first);
    for (int i = 0; i < 2; i++) {
      Attempt a = u.begin(null, null);
      u.record(a, Outcome.CONNECT_FAILURE, 0);
      u.end(a);
    }
    assertThat(seen).containsExactly(
        "u a SUCCESS 200 5000000",
        "u a CONNECT_FAILURE 0 0",
        "u a CONNECT_FAILURE 0 0",
        "u a ejected 10000000000");
  }

  @Test
  void smoothWeightedRoundRobinInterleavesByWeight() {
    Upstream u = upstream(BalancerKind.ROUND_ROBIN, null, "http://a:1 5", "http://b:1", "http://c:1");
    List<String> picks = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      Attempt a = u.begin(null, null);
      picks.add(host(a));
      u.end(a);
    }
    assertThat(picks).containsExactly("a", "a", "b", "a", "c", "a", "a");
    assertThat(spread(u, 7000)).containsEntry("a", 5000).containsEntry("b", 1000).containsEntry("c", 1000);
  }

  @Test
  void roundRobinSpreadsAnUnavailableTargetsShareOverTheOthers() {
    Upstream u = upstream(BalancerKind.ROUND_ROBIN, new OutlierDetectionConfig(1, Duration.ofSeconds(10), null, 100),
        "http://a:1", "http://b:1 3", "http://c:1");
    failOn(u, "a", 1);
    assertThat(spread(u, 400)).containsOnlyKeys("b", "c").containsEntry("b", 300).containsEntry("c", 100);
  }

  @Test
  void leastInFlightPrefersTheLeastLoadedPerUnitOfWeight() {
    Upstream u = upstream(BalancerKind.LEAST_IN_FLIGHT, null, "http://a:1", "http://b:1 2");
    Attempt first = u.begin(null, null);
    Attempt second = u.begin(null, null);
    // One on each; b has twice the weight, so it takes the next two before a gets a second.
    assertThat(List.of(host(first), host(second))).containsExactlyInAnyOrder("a", "b");
    assertThat(host(u.begin(null, null))).isEqualTo("b");
    Attempt fourth = u.begin(null, null);
    assertThat(List.of("a", "b")).contains(host(fourth));
    u.end(first);
    assertThat(host(u.begin(null, null))).isEqualTo(first.target().host().equals("a") ? "a" : "b");
  }

  @Test
  void consistentHashKeepsKeysAndMovesAboutOneNthWhenATargetIsAdded() {
    String[] ten = new String[10];
    for (int i = 0; i < 10; i++) {
      ten[i] = "http://10.0.0." + i + ":80";
    }
    String[] eleven = java.util.Arrays.copyOf(ten, 11);
    eleven[10] = "http://10.0.0.10:80";
    Upstream before = upstream("ten", BalancerKind.CONSISTENT_HASH, null, null, ten);
    Upstream after = upstream("eleven", BalancerKind.CONSISTENT_HASH, null, null, eleven);
    int keys = 20_000;
    int moved = 0;
    Map<String, Integer> load = new HashMap<>();
    for (int k = 0; k < keys; k++) {
      String key = "user-" + k;
      String was = pickAndEnd(before, key);
      assertThat(pickAndEnd(before, key)).isEqualTo(was);
      String now = pickAndEnd(after, key);
      load.merge(was, 1, Integer::sum);
      if (!now.equals(was)) {
        moved++;
        assertThat(now).as("a moved key goes to the new target").isEqualTo("10.0.0.10");
      }
    }
    double fraction = moved / (double) keys;
    assertThat(fraction).isBetween(1 / 11.0 * 0.6, 1 / 11.0 * 1.4);
    // Virtual nodes keep the ring balanced: every target holds 10% ± 3% of the keys.
    assertThat(load.values()).allSatisfy(n -> assertThat(n).isBetween(keys * 7 / 100, keys * 13 / 100));
  }

  @Test
  void removingATargetFromTheRingMovesOnlyItsKeys() {
    String[] ten = new String[10];
    for (int i = 0; i < 10; i++) {
      ten[i] = "http://10.1.0." + i + ":80";
    }
    String[] nine = java.util.Arrays.copyOf(ten, 9);
    Upstream before = upstream("ten-r", BalancerKind.CONSISTENT_HASH, null, null, ten);
    Upstream after = upstream("nine-r", BalancerKind.CONSISTENT_HASH, null, null, nine);
    int moved = 0;
    for (int k = 0; k < 20_000; k++) {
      String key = "session-" + k;
      String was = pickAndEnd(before, key);
      String now = pickAndEnd(after, key);
      if (was.equals("10.1.0.9")) {
        moved++;
        assertThat(now).isNotEqualTo(was);
      } else {
        assertThat(now).as("a key of a remaining target stays").isEqualTo(was);
      }
    }
    assertThat(moved / 20_000.0).isBetween(0.1 * 0.6, 0.1 * 1.4);
  }

  @Test
  void consistentHashMovesOnlyTheKeysOfATargetThatIsOut() {
    Upstream u = upstream(BalancerKind.CONSISTENT_HASH, new OutlierDetectionConfig(1, null, null, 100),
        "http://a:1", "http://b:1", "http://c:1", "http://d:1");
    Map<String, String> owner = new HashMap<>();
    for (int k = 0; k < 2000; k++) {
      owner.put("k" + k, pickAndEnd(u, "k" + k));
    }
    Attempt onB = null;
    for (int k = 0; onB == null; k++) {
      Attempt a = u.begin("k" + k, null);
      if (host(a).equals("b")) {
        onB = a;
      } else {
        u.end(a);
      }
    }
    u.record(onB, Outcome.RESET, 0);
    u.end(onB);
    owner.forEach((key, was) -> {
      String now = pickAndEnd(u, key);
      if (was.equals("b")) {
        assertThat(now).isNotEqualTo("b");
      } else {
        assertThat(now).isEqualTo(was);
      }
    });
  }

  private static String pickAndEnd(Upstream u, String key) {
    Attempt a = u.begin(key, null);
    u.end(a);
    return host(a);
  }

  @Test
  void leastLatencySteersAwayFromASlowTarget() {
    Upstream u = upstream(BalancerKind.LEAST_LATENCY, null, "http://fast:1", "http://slow:1", "http://medium:1");
    Map<String, Long> latency = Map.of("fast", 2_000_000L, "slow", 200_000_000L, "medium", 20_000_000L);
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 3000; i++) {
      Attempt a = u.begin(null, null);
      clock.addAndGet(latency.get(host(a)));
      u.record(a, Outcome.SUCCESS, 200);
      u.end(a);
      clock.addAndGet(1_000_000);
      counts.merge(host(a), 1, Integer::sum);
    }
    // Two random choices: the slowest can only win a pair against itself, which never happens.
    assertThat(counts.getOrDefault("slow", 0)).isLessThan(60);
    assertThat(counts.get("fast")).isGreaterThan(counts.get("medium"));
  }

  @Test
  void outlierDetectionEjectsForLongerEachTimeAndLetsTheTargetBackAfterwards() {
    OutlierDetectionConfig outliers = new OutlierDetectionConfig(3, Duration.ofSeconds(10), Duration.ofSeconds(25), 50);
    Upstream u = upstream(BalancerKind.ROUND_ROBIN, outliers, "http://a:1", "http://b:1");
    TargetState a = u.targets().get(0);
    failOn(u, "a", 2);
    assertThat(a.ejected(clock.get())).isFalse();
    failOn(u, "a", 1);
    assertThat(a.ejected(clock.get())).isTrue();
    assertThat(spread(u, 10)).containsOnlyKeys("b");
    clock.addAndGet(Duration.ofMillis(9_999).toNanos());
    assertThat(spread(u, 4)).containsOnlyKeys("b");
    clock.addAndGet(Duration.ofMillis(1).toNanos());
    assertThat(spread(u, 4)).containsOnlyKeys("a", "b");

    failOn(u, "a", 3);
    assertThat(a.describe(clock.get()).getLong("lastEjectionMs")).isEqualTo(20_000L);
    clock.addAndGet(Duration.ofSeconds(20).toNanos());
    failOn(u, "a", 3);
    assertThat(a.describe(clock.get()).getLong("lastEjectionMs")).as("capped at maxEjectionTime").isEqualTo(25_000L);
  }

  @Test
  void ejectionIsCappedAtMaxEjectedPercent() {
    OutlierDetectionConfig outliers = new OutlierDetectionConfig(1, Duration.ofSeconds(10), null, 50);
    Upstream u = upstream(BalancerKind.ROUND_ROBIN, outliers, "http://a:1", "http://b:1", "http://c:1", "http://d:1");
    for (int i = 0; i < 20; i++) {
      Attempt at = u.begin(null, null);
      if (at != null) {
        u.record(at, Outcome.CONNECT_FAILURE, 0);
        u.end(at);
      }
    }
    long ejected = u.targets().stream().filter(t -> t.ejected(clock.get())).count();
    assertThat(ejected).isEqualTo(2);
    assertThat(spread(u, 10)).hasSize(2);
  }

  @Test
  void aSingleTargetMayBeEjectedSoThatRequestsFailFast() {
    Upstream u = upstream(BalancerKind.ROUND_ROBIN, new OutlierDetectionConfig(2, Duration.ofSeconds(3), null, null),
        "http://only:1");
    failOn(u, "only", 2);
    assertThat(u.begin(null, null)).isNull();
    assertThat(u.retryAfterSeconds()).isEqualTo(3);
  }

  @Test
  void aRetryPrefersAnotherTargetAndFallsBackToTheSameWhenAlone() {
    Upstream two = upstream(BalancerKind.ROUND_ROBIN, null, "http://a:1", "http://b:1");
    for (int i = 0; i < 10; i++) {
      Attempt first = two.begin(null, null);
      two.end(first);
      Attempt retry = two.begin(null, first);
      assertThat(host(retry)).isNotEqualTo(host(first));
      two.end(retry);
    }
    Upstream one = upstream("one", BalancerKind.ROUND_ROBIN, null, null, "http://only:1");
    Attempt first = one.begin(null, null);
    one.end(first);
    assertThat(host(one.begin(null, first))).isEqualTo("only");
  }

  @Test
  void aTargetAnswering503WithRetryAfterIsHeldForThatLong() {
    Upstream u = upstream(BalancerKind.ROUND_ROBIN, null, "http://a:1", "http://b:1");
    Attempt a;
    do {
      a = u.begin(null, null);
      u.end(a);
    } while (!host(a).equals("a"));
    u.hold(a, 2);
    assertThat(spread(u, 6)).containsOnlyKeys("b");
    clock.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(spread(u, 6)).containsOnlyKeys("a", "b");
  }

  @Test
  void aHoldShowsWhatIsLeftOfItAndIsCappedAtTheLongestEjection() {
    OutlierDetectionConfig outliers = new OutlierDetectionConfig(5, Duration.ofSeconds(1), Duration.ofSeconds(20), 50);
    Upstream u = upstream(BalancerKind.ROUND_ROBIN, outliers, "http://a:1", "http://b:1");
    Attempt a = u.begin(null, null);
    u.end(a);
    TargetState held = a.state;
    u.hold(a, 30);
    assertThat(held.describe(clock.get()).getLong("heldForMs")).as("capped at maxEjectionTime").isEqualTo(20_000L);
    assertThat(held.available(clock.get())).isFalse();
    clock.addAndGet(Duration.ofMillis(4_250).toNanos());
    assertThat(held.describe(clock.get()).getLong("heldForMs")).isEqualTo(15_750L);
    assertThat(u.retryAfterSeconds()).as("the other target is available").isEqualTo(1);
    clock.addAndGet(Duration.ofMillis(15_750).toNanos());
    assertThat(held.describe(clock.get()).containsKey("heldForMs")).isFalse();
    assertThat(held.available(clock.get())).isTrue();
  }

  @Test
  void targetStateSurvivesARebuildOfTheSameUpstream() {
    OutlierDetectionConfig outliers = new OutlierDetectionConfig(1, Duration.ofSeconds(10), null, 50);
    Upstream u = upstream(BalancerKind.ROUND_ROBIN, outliers, "http://a:1", "http://b:1");
    failOn(u, "a", 1);
    Upstream rebuilt = upstream(BalancerKind.ROUND_ROBIN, outliers, "http://a:1", "http://b:1");
    assertThat(rebuilt.targets().get(0)).isSameAs(u.targets().get(0));
    assertThat(spread(rebuilt, 4)).containsOnlyKeys("b");
  }

  @Test
  void aBreakerOpenOnATargetTakesItOutOfRotation() {
    CircuitBreakerConfig breaker = new CircuitBreakerConfig(50, 4, 4, Duration.ofSeconds(5), 1);
    Upstream u = upstream("b", BalancerKind.ROUND_ROBIN, new OutlierDetectionConfig(0, null, null, null), breaker,
        "http://a:1", "http://b:1");
    failOn(u, "a", 2);
    succeedOn(u, "a", 2);
    assertThat(spread(u, 4)).containsOnlyKeys("b");
    clock.addAndGet(Duration.ofSeconds(5).toNanos());
    Attempt trial = null;
    for (int i = 0; i < 2 && trial == null; i++) {
      Attempt at = u.begin(null, null);
      if (host(at).equals("a")) {
        trial = at;
      } else {
        u.end(at);
      }
    }
    assertThat(trial).as("a half-open breaker lets a trial through").isNotNull();
    assertThat(spread(u, 4)).as("only one trial at a time").containsOnlyKeys("b");
    u.record(trial, Outcome.SUCCESS, 200);
    u.end(trial);
    assertThat(spread(u, 4)).containsOnlyKeys("a", "b");
  }

  private void failOn(Upstream u, String host, int times) {
    outcomeOn(u, host, times, Outcome.CONNECT_FAILURE);
  }

  private void succeedOn(Upstream u, String host, int times) {
    outcomeOn(u, host, times, Outcome.SUCCESS);
  }

  private void outcomeOn(Upstream u, String host, int times, Outcome outcome) {
    int done = 0;
    for (int i = 0; done < times && i < 1000; i++) {
      Attempt a = u.begin(null, null);
      if (a != null && host(a).equals(host)) {
        u.record(a, outcome, outcome == Outcome.SUCCESS ? 200 : 0);
        done++;
      }
      if (a != null) {
        u.end(a);
      }
    }
    assertThat(done).as("attempts on " + host).isEqualTo(times);
  }
}
