// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ValueParsingTest {

  @Test
  void parsesSizes() {
    assertThat(ByteSize.parse("512").bytes()).isEqualTo(512);
    assertThat(ByteSize.parse("16KB").bytes()).isEqualTo(16 * 1024);
    assertThat(ByteSize.parse("10 mb").bytes()).isEqualTo(10L * 1024 * 1024);
    assertThat(ByteSize.parse("1GB").toString()).isEqualTo("1GB");
    assertThatThrownBy(() -> ByteSize.parse("ten")).isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> ByteSize.parse("99999999999999GB")).hasMessageContaining("too large");
  }

  @Test
  void parsesDurationsAndRequiresAUnit() {
    assertThat(DurationParser.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(DurationParser.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(DurationParser.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(DurationParser.parse("PT1H")).isEqualTo(Duration.ofHours(1));
    assertThatThrownBy(() -> DurationParser.parse("30")).isInstanceOf(ConfigException.class);
    assertThat(DurationParser.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(DurationParser.format(Duration.ofSeconds(120))).isEqualTo("2m");
  }
}
