// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.api.config.ByteSize;
import io.sluice.gateway.api.config.ConfigException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CacheConfigTest {

  private static CacheConfig defaults() {
    return new CacheConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  @Test
  void appliesDefaults() {
    CacheConfig c = defaults();
    assertThat(c.keyHeaders()).isEmpty();
    assertThat(c.keyQuery()).isNull();
    assertThat(c.keyHost()).isTrue();
    assertThat(c.keyConsumer()).isFalse();
    assertThat(c.maxObjectSize()).isEqualTo(ByteSize.ofMegabytes(1));
    assertThat(c.staleRetention()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.collapse()).isTrue();
    assertThat(c.collapseWait()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.name()).isEqualTo("sluice");
  }

  @Test
  void purgeRuleRetentionDefaultsToADayAndIsBounded() {
    assertThat(defaults().ruleRetention()).isEqualTo(Duration.ofHours(24));
    assertThat(withRetention(Duration.ofDays(7)).ruleRetention()).isEqualTo(Duration.ofDays(7));
    assertThat(withRetention(null).ruleRetention()).isEqualTo(Duration.ofHours(24));
    for (Duration bad : List.of(Duration.ofSeconds(59), Duration.ofDays(31), Duration.ZERO)) {
      assertThatThrownBy(() -> withRetention(bad)).isInstanceOf(ConfigException.class)
          .hasMessageContaining("purge.ruleRetention").hasMessageContaining("must be from 1m to 30d");
    }
  }

  private static CacheConfig withRetention(Duration retention) {
    return new CacheConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        new CacheConfig.Purge(retention));
  }

  @Test
  void refusesBadValuesNamingTheField() {
    assertThatThrownBy(() -> new CacheConfig(null, null, null, null, Duration.ZERO, null, null, null, null, null, null,
        null, null, null, null, null)).isInstanceOf(ConfigException.class).hasMessageContaining("ttl").hasMessageContaining("> 0");
    assertThatThrownBy(() -> new CacheConfig(null, null, null, null, null, Duration.ofMinutes(5), Duration.ofMinutes(1),
        null, null, null, null, null, null, null, null, null)).isInstanceOf(ConfigException.class).hasMessageContaining("minTtl");
    assertThatThrownBy(() -> new CacheConfig(List.of(" "), null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null)).isInstanceOf(ConfigException.class).hasMessageContaining("keyHeaders[0]");
    assertThatThrownBy(() -> new CacheConfig(null, null, null, null, null, null, null, ByteSize.ofBytes(0), null, null,
        null, null, null, null, null, null)).isInstanceOf(ConfigException.class).hasMessageContaining("maxObjectSize");
    assertThatThrownBy(() -> new CacheConfig(null, null, null, null, null, null, null, null, null, null, null, null,
        "two words", null, null, null)).isInstanceOf(ConfigException.class).hasMessageContaining("name");
    assertThatThrownBy(() -> new CacheConfig(null, null, null, null, null, null, null, null, null, null, null, null,
        null, "Bad Header", null, null)).isInstanceOf(ConfigException.class).hasMessageContaining("tagHeader");
  }
}
