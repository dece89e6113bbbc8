// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.MultiMap;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Query parameters: defaults, the step chosen by the range, alignment, and each refusal naming its parameter. */
class AnalyticsQueryTest {

  private static final Instant NOW = Instant.parse("2026-12-02T01:30:20Z");

  private static AnalyticsQuery parse(String... pairs) {
    MultiMap params = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < pairs.length; i += 2) {
      params.add(pairs[i], pairs[i + 1]);
    }
    return AnalyticsQuery.parse(params, NOW);
  }

  @Test
  void defaultsToTheHourEndingWithTheCurrentMinute() {
    AnalyticsQuery q = parse();
    assertThat(Instant.ofEpochMilli(q.from())).isEqualTo(Instant.parse("2026-12-02T00:31:00Z"));
    assertThat(Instant.ofEpochMilli(q.to())).isEqualTo(Instant.parse("2026-12-02T01:31:00Z"));
    assertThat(q.step()).isEqualTo(Resolution.MINUTE);
    assertThat(q.buckets()).isEqualTo(60);
    assertThat(q.by()).isNull();
    assertThat(q.limit()).isEqualTo(10);
  }

  @Test
  void choosesTheStepByTheRangeAndAlignsToIt() {
    assertThat(parse("from", "2026-12-01T19:30:21Z").step()).isEqualTo(Resolution.MINUTE);
    AnalyticsQuery hours = parse("from", "2026-12-01T19:00:00Z", "to", "2026-12-02T01:30:00.001Z");
    assertThat(hours.step()).isEqualTo(Resolution.HOUR);
    assertThat(Instant.ofEpochMilli(hours.to())).isEqualTo(Instant.parse("2026-12-02T02:00:00Z"));
    AnalyticsQuery days = parse("from", String.valueOf(Instant.parse("2026-11-20T05:00:00Z").toEpochMilli()));
    assertThat(days.step()).isEqualTo(Resolution.DAY);
    assertThat(Instant.ofEpochMilli(days.from())).isEqualTo(Instant.parse("2026-11-20T00:00:00Z"));
    assertThat(Instant.ofEpochMilli(days.to())).isEqualTo(Instant.parse("2026-12-03T00:00:00Z"));
    assertThat(parse("from", "2026-12-02T02:00:00+01:00", "step", "hour").from())
        .isEqualTo(Instant.parse("2026-12-02T01:00:00Z").toEpochMilli());
    AnalyticsQuery all = parse("by", "upstream", "route", "r", "consumer", "c", "limit", "100");
    assertThat(all.by()).isEqualTo(GroupBy.UPSTREAM);
    assertThat(all.route()).isEqualTo("r");
    assertThat(all.consumer()).isEqualTo("c");
    assertThat(all.limit()).isEqualTo(100);
  }

  @Test
  void refusesEachBadParameterByName() {
    assertRefused("from: not an ISO-8601 instant", "from", "soon");
    assertRefused("to: epoch milliseconds out of range", "to", "99999999999999999999");
    assertRefused("from: must be before to", "from", "2026-12-02T01:30:20Z", "to", "2026-12-02T01:30:20Z");
    assertRefused("step: must be minute, hour or day, not 'Minute'", "step", "Minute");
    assertRefused("step: a step of a minute", "step", "minute", "from", "2026-11-01T00:00:00Z");
    assertRefused("by: must be route, consumer, status or upstream, not 'method'", "by", "method");
    assertRefused("limit: must be 1..100, was 101", "limit", "101");
    assertRefused("limit: not a whole number: 'x'", "limit", "x");
    assertRefused("consumer: must not be blank", "consumer", " ");
    assertRefused("to: given more than once", "to", "1", "to", "2");
    assertRefused("from: not an ISO-8601 instant (2026-12-02T01:00:00Z) or epoch milliseconds: '"
        + "x".repeat(64) + "...'", "from", "x".repeat(500));
  }

  private static void assertRefused(String message, String... pairs) {
    assertThatThrownBy(() -> parse(pairs)).isInstanceOf(BadAnalyticsQuery.class).hasMessageStartingWith(message);
  }
}
