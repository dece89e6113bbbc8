// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.plugin.ratelimit.RateLimitConfig.LimitConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimitConfigTest {

  static RateLimitConfig single(Long limit, Duration window, String algorithm, Long burst, String by, String header) {
    return new RateLimitConfig(null, limit, window, algorithm, burst, by, header, null, null, null, null, null);
  }

  @Test
  void oneLimitHasSafeDefaultsAndFoldsIntoTheList() {
    RateLimitConfig c = single(100L, Duration.ofMinutes(1), null, null, null, null);
    assertThat(c.limits()).containsExactly(new LimitConfig(100, Duration.ofMinutes(1), "fixed-window", null, "consumer", null, null));
    assertThat(c.limit()).isNull();
    assertThat(c.by()).isEqualTo("consumer");
    assertThat(c.missingKey()).isEqualTo("shared");
    assertThat(c.scope()).isEqualTo("local");
    assertThat(c.failOpen()).isTrue();
    assertThat(c.addHeaders()).isTrue();
  }

  @Test
  void limitsInheritThePolicysKeyUnlessTheyNameTheirOwn() {
    RateLimitConfig c = new RateLimitConfig(List.of(
        new LimitConfig(10, Duration.ofSeconds(1), "TOKEN-BUCKET", 20L, null, null, null),
        new LimitConfig(10_000, Duration.ofDays(1), null, null, "ip", null, null)),
        null, null, null, null, "header", "X-Tenant", null, null, "cluster", false, null);
    assertThat(c.limits().get(0).by()).isEqualTo("header");
    assertThat(c.limits().get(0).header()).isEqualTo("X-Tenant");
    assertThat(c.limits().get(0).algorithm()).isEqualTo("token-bucket");
    assertThat(c.limits().get(1).by()).isEqualTo("ip");
    assertThat(c.limits().get(1).header()).isNull();
    assertThat(c.clusterScope()).isTrue();
  }

  @Test
  void refusesBadValuesNamingTheField() {
    assertThatThrownBy(() -> single(null, Duration.ofMinutes(1), null, null, null, null)).hasMessage("limit: is required (or a limits list)");
    assertThatThrownBy(() -> single(0L, Duration.ofMinutes(1), null, null, null, null)).hasMessage("limit: must be at least 1");
    assertThatThrownBy(() -> single(1L, null, null, null, null, null)).hasMessageStartingWith("window: is required");
    assertThatThrownBy(() -> single(1L, Duration.ofMillis(500), null, null, null, null)).hasMessage("window: must be from 1s to 31d (or month, week, day)");
    assertThatThrownBy(() -> single(1L, Duration.ofDays(32), null, null, null, null)).hasMessage("window: must be from 1s to 31d (or month, week, day)");
    assertThatThrownBy(() -> single(1L, Duration.ofMinutes(1), "leaky", null, null, null))
        .hasMessage("algorithm: 'leaky' is not an algorithm (fixed-window, sliding-window, token-bucket)");
    assertThatThrownBy(() -> single(1L, Duration.ofMinutes(1), null, 5L, null, null)).hasMessage("burst: is only for algorithm: token-bucket");
    assertThatThrownBy(() -> single(1L, Duration.ofMinutes(1), null, null, "header", null)).hasMessage("header: is required with by: header");
    assertThatThrownBy(() -> single(1L, Duration.ofMinutes(1), null, null, "ip", "X-A")).hasMessage("header: is only used with by: header");
    assertThatThrownBy(() -> single(1L, Duration.ofMinutes(1), null, null, "user", null))
        .hasMessage("by: 'user' is not a key (consumer, ip, header, route, attribute)");
    assertThatThrownBy(() -> new RateLimitConfig(null, 1L, Duration.ofMinutes(1), null, null, "attribute", null, null, null, null, null, null))
        .hasMessage("attribute: is required with by: attribute");
    assertThatThrownBy(() -> new RateLimitConfig(null, 1L, Duration.ofMinutes(1), null, null, null, null, null, "allow", null, null, null))
        .hasMessage("missingKey: 'allow' is not one of shared, skip");
    assertThatThrownBy(() -> new RateLimitConfig(null, 1L, Duration.ofMinutes(1), null, null, null, null, null, null, "global", null, null))
        .hasMessage("scope: 'global' is not one of local, cluster");
    assertThatThrownBy(() -> new RateLimitConfig(List.of(new LimitConfig(1, Duration.ofMinutes(1), null, null, null, null, null)),
        5L, null, null, null, null, null, null, null, null, null, null))
        .hasMessage("limits: give either limits or limit/window/algorithm/burst, not both");
    assertThatThrownBy(() -> new RateLimitConfig(List.of(
        new LimitConfig(1, Duration.ofMinutes(1), null, null, null, null, null),
        new LimitConfig(1, Duration.ofMinutes(1), null, null, "header", null, null)),
        null, null, null, null, null, null, null, null, null, null, null))
        .hasMessage("limits[1].header: is required with by: header");
  }

  @Test
  void maxKeysDefaultsAndMustBePositive() {
    assertThat(RateLimitConfig.of(1, Duration.ofMinutes(1), "ip").maxKeys()).isEqualTo(100_000);
    assertThatThrownBy(() -> new RateLimitConfig(null, 1L, Duration.ofMinutes(1), null, null, null, null, null, null,
        null, null, null, 0)).hasMessageContaining("maxKeys");
  }
}
