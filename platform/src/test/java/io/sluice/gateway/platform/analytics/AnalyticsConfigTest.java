// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.api.config.ConfigException;
import io.sluice.gateway.platform.config.AnalyticsConfig;
import io.sluice.gateway.platform.config.ConfigLoader;
import io.sluice.gateway.platform.reload.RestartOnlySections;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code analytics:} section: defaults, every bad field named by its path, and read at start only. */
class AnalyticsConfigTest {

  private final ConfigLoader loader = new ConfigLoader();

  @Test
  void isOnByDefaultWithSixHoursOfMinutesSevenDaysOfHoursAndThirtyDays() {
    AnalyticsConfig defaults = loader.parse("routes: []\n", "t").analytics();
    assertThat(defaults.enabled()).isTrue();
    assertThat(defaults.maxKeys()).isEqualTo(100);
    assertThat(defaults.maxCells()).isEqualTo(2000);
    assertThat(defaults.minuteBuckets()).isEqualTo(360);
    assertThat(defaults.hourBuckets()).isEqualTo(168);
    assertThat(defaults.dayBuckets()).isEqualTo(30);
    assertThat(defaults.publishInterval()).isEqualTo(Duration.ofSeconds(5));
    AnalyticsConfig set = loader.parse("analytics: { enabled: false, maxKeys: 7, publishInterval: 250ms }\n", "t")
        .analytics();
    assertThat(set.enabled()).isFalse();
    assertThat(set.maxKeys()).isEqualTo(7);
    assertThat(set.publishInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(RestartOnlySections.NAMES).contains("analytics");
  }

  @Test
  void everyBadFieldIsNamedByItsPath() {
    assertThat(problems("analytics: { maxKeys: 0 }")).containsExactly("analytics.maxKeys: must be 1..10000, was 0");
    assertThat(problems("analytics: { maxCells: 99 }")).containsExactly("analytics.maxCells: must be 100..100000, was 99");
    assertThat(problems("analytics: { minuteBuckets: 59 }")).containsExactly(
        "analytics.minuteBuckets: must be 60..10080, was 59");
    assertThat(problems("analytics: { hourBuckets: 23 }")).containsExactly(
        "analytics.hourBuckets: must be 24..8784, was 23");
    assertThat(problems("analytics: { dayBuckets: 0 }")).containsExactly("analytics.dayBuckets: must be 1..3660, was 0");
    assertThat(problems("analytics: { publishInterval: 10ms }")).containsExactly(
        "analytics.publishInterval: must be 100ms..1m");
    assertThat(problems("analytics: { maxkeys: 3 }")).hasSize(1).allSatisfy(p -> assertThat(p).startsWith("analytics"));
  }

  private List<String> problems(String yaml) {
    return loader.parseAll(yaml + "\n", "t").problems().stream().map(ConfigException::getMessage).toList();
  }
}
