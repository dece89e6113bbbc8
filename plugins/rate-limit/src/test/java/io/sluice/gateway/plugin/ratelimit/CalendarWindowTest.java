// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.cluster.ClusterServices;
import io.sluice.gateway.plugin.ratelimit.RateLimitConfig.LimitConfig;
import io.sluice.gateway.testkit.FakeExchange;
import io.sluice.gateway.testkit.PolicyHarness;
import io.sluice.gateway.testkit.TestChain;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Calendar windows (quotas: {@code window: month}, {@code week}, {@code day}) on an injected clock: a month
 * window resets on the 1st at 00:00 in its zone, lasts 28, 29, 30 or 31 days, and tells clients the real time
 * to reset; in both scopes.
 */
class CalendarWindowTest {

  static final PolicyHarness harness = new PolicyHarness();
  final AtomicLong clock = new AtomicLong();
  FakeExchange last;

  @AfterAll
  static void close() {
    harness.close();
  }

  static long at(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  static RateLimitConfig quota(long n, String window, String zone, String scope) {
    return new RateLimitConfig(List.of(new LimitConfig(n, window, null, null, null, null, null, null)),
        null, null, null, null, "route", null, null, null, scope, null, null, null, zone);
  }

  Policy policy(RateLimitConfig config) {
    return RateLimitPolicyFactory.create(config, harness.context("rate-limit"), clock::get);
  }

  boolean admitted(Policy policy) {
    FakeExchange exchange = FakeExchange.request(HttpMethod.GET, "/x");
    last = exchange;
    TestChain chain = TestChain.upstreamOk(exchange);
    harness.apply(policy, exchange, chain);
    return chain.proceeded() == 1;
  }

  MultiMap headers() {
    return last.rejection() != null ? last.rejection().headers() : last.response().headers();
  }

  int admittedOf(Policy p, int n) {
    int a = 0;
    for (int i = 0; i < n; i++) {
      a += admitted(p) ? 1 : 0;
    }
    return a;
  }

  @Test
  void aMonthQuotaResetsOnTheFirstInUtcAndReportsTheTimeToTheReset() {
    Policy p = policy(quota(3, "month", null, "local"));
    clock.set(at("2027-01-31T23:59:58Z"));
    assertThat(admittedOf(p, 5)).isEqualTo(3);
    assertThat(headers().get("Retry-After")).as("2 s to 1 February").isEqualTo("2");
    clock.set(at("2027-01-31T23:59:59.999Z"));
    assertThat(admitted(p)).as("still January").isFalse();
    clock.set(at("2027-02-01T00:00:00Z"));
    assertThat(admitted(p)).as("a new month").isTrue();
    // February 2027 has 28 days: the reset is 28 days away, not 30 or 31.
    assertThat(Long.parseLong(headers().get("RateLimit-Reset"))).isEqualTo(28L * 86_400);
    assertThat(headers().get("RateLimit-Limit")).isEqualTo("3");
    assertThat(headers().get("RateLimit-Remaining")).isEqualTo("2");
  }

  @Test
  void aLeapYearFebruaryHas29DaysOfOneQuota() {
    Policy p = policy(quota(2, "month", "UTC", "local"));
    clock.set(at("2028-02-01T00:00:00Z"));
    assertThat(admittedOf(p, 1)).isEqualTo(1);
    assertThat(Long.parseLong(headers().get("RateLimit-Reset"))).isEqualTo(29L * 86_400);
    clock.set(at("2028-02-28T23:59:59Z"));
    assertThat(admittedOf(p, 3)).as("the 28th is still February's quota").isEqualTo(1);
    clock.set(at("2028-02-29T12:00:00Z"));
    assertThat(admitted(p)).as("the 29th of a leap year is February too").isFalse();
    assertThat(headers().get("Retry-After")).isEqualTo(Long.toString(12 * 3_600));
    clock.set(at("2028-03-01T00:00:00Z"));
    assertThat(admittedOf(p, 3)).as("March: a fresh quota").isEqualTo(2);
    assertThat(Long.parseLong(headers().get("Retry-After"))).isEqualTo(31L * 86_400);
  }

  @Test
  void aMonthInAConfiguredZoneResetsAtLocalMidnight() {
    Policy p = policy(quota(1, "month", "Europe/Paris", "local"));
    // 1 March 2027 00:00 in Paris is 28 February 23:00 UTC (CET, +01:00).
    clock.set(at("2027-02-28T22:59:59Z"));
    assertThat(admitted(p)).isTrue();
    assertThat(admitted(p)).isFalse();
    assertThat(headers().get("Retry-After")).isEqualTo("1");
    clock.set(at("2027-02-28T23:00:00Z"));
    assertThat(admitted(p)).as("March in Paris").isTrue();
    // March in Paris loses an hour to daylight saving (31 March 2027 02:00 -> 03:00): 31 days minus 1 h.
    assertThat(Long.parseLong(headers().get("RateLimit-Reset"))).isEqualTo(31L * 86_400 - 3_600);
  }

  @Test
  void aCalendarDayAndWeekFollowTheirZone() {
    Policy day = policy(quota(1, "day", "America/New_York", "local"));
    clock.set(at("2027-06-15T03:59:59Z")); // 14 June 23:59:59 in New York (EDT, -04:00)
    assertThat(admitted(day)).isTrue();
    assertThat(admitted(day)).isFalse();
    clock.set(at("2027-06-15T04:00:00Z"));
    assertThat(admitted(day)).as("15 June in New York").isTrue();
    assertThat(headers().get("RateLimit-Reset")).isEqualTo("86400");

    Policy week = policy(quota(1, "week", null, "local"));
    clock.set(at("2027-06-13T23:59:59Z")); // a Sunday
    assertThat(admitted(week)).isTrue();
    assertThat(admitted(week)).isFalse();
    clock.set(at("2027-06-14T00:00:00Z")); // Monday: an ISO week starts
    assertThat(admitted(week)).isTrue();
    assertThat(headers().get("RateLimit-Reset")).isEqualTo(Long.toString(7 * 86_400));
  }

  @Test
  void aClusterMonthQuotaCountsPerCalendarMonthToo() {
    ClusterServices cluster = TestContext.withCounters(new ClockedCounters(clock::get));
    Policy p = RateLimitPolicyFactory.create(quota(3, "month", null, "cluster"),
        new TestContext(harness.vertx(), cluster, "quota"), clock::get);
    clock.set(at("2028-02-29T23:00:00Z"));
    assertThat(admittedOf(p, 5)).isEqualTo(3);
    assertThat(headers().get("Retry-After")).isEqualTo("3600");
    clock.set(at("2028-03-01T00:00:00Z"));
    assertThat(admittedOf(p, 5)).as("the counter of March is a new one").isEqualTo(3);
  }

  @Test
  void calendarWindowsAreParsedAndCheckedNamingTheField() {
    LimitConfig month = new LimitConfig(10, " Month ", null, null, null, null, null, null);
    assertThat(month.window()).isEqualTo("month");
    assertThat(new LimitConfig(10, "60s", null, null, null, null, null, null).window()).isEqualTo("1m");
    RateLimitConfig inherited = new RateLimitConfig(List.of(month,
        new LimitConfig(5, "1s", null, null, null, null, null, null)),
        null, null, null, null, null, null, null, null, null, null, null, null, "Europe/Paris");
    assertThat(inherited.limits().get(0).zone()).as("a calendar limit takes the policy's zone").isEqualTo("Europe/Paris");
    assertThat(inherited.limits().get(1).zone()).as("a duration window has none").isNull();
    assertThatThrownBy(() -> new LimitConfig(10, "month", "sliding-window", null, null, null, null, null))
        .hasMessageStartingWith("window: a calendar window (month) is for algorithm: fixed-window only");
    assertThatThrownBy(() -> new LimitConfig(10, "fortnight", null, null, null, null, null, null))
        .hasMessageStartingWith("window: 'fortnight' is not a window");
    assertThatThrownBy(() -> new LimitConfig(10, "month", null, null, null, null, null, "Mars/Olympus"))
        .hasMessage("zone: 'Mars/Olympus' is not a time zone (e.g. UTC, Europe/Paris, +02:00)");
    assertThatThrownBy(() -> new LimitConfig(10, "1h", null, null, null, null, null, "UTC"))
        .hasMessageStartingWith("zone: is only for calendar windows");
    assertThatThrownBy(() -> quota(1, "month", "nowhere", "local")).hasMessageStartingWith("zone: 'nowhere'");
  }

  @Test
  void theCachedWindowIsRecomputedOnlyWhenTheWindowChanges() {
    CalendarWindow w = new CalendarWindow(CalendarWindow.Unit.MONTH, ZoneId.of("UTC"));
    long jan = at("2027-01-15T10:00:00Z");
    long start = w.start(jan);
    assertThat(start).isEqualTo(at("2027-01-01T00:00:00Z"));
    assertThat(w.end(start)).isEqualTo(at("2027-02-01T00:00:00Z"));
    assertThat(w.start(at("2027-03-03T00:00:00Z"))).isEqualTo(at("2027-03-01T00:00:00Z"));
    assertThat(w.end(start)).as("an older window's end is computed, not taken from the cache")
        .isEqualTo(at("2027-02-01T00:00:00Z"));
    assertThat(ZonedDateTime.ofInstant(Instant.ofEpochMilli(w.start(at("2027-12-31T23:59:59.999Z"))), ZoneId.of("UTC"))
        .getMonthValue()).isEqualTo(12);
  }
}
