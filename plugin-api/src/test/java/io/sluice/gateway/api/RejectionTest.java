// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RejectionTest {

  @Test
  void buildsImmutableCopies() {
    Rejection base = Rejection.of(429, "RATE_LIMIT_EXCEEDED");
    Rejection full = base.message("100 per minute").header("Retry-After", "12");
    assertThat(base.message()).isNull();
    assertThat(base.headers().isEmpty()).isTrue();
    assertThat(full.message()).isEqualTo("100 per minute");
    assertThat(full.headers().get("retry-after")).isEqualTo("12");
  }

  @Test
  void refusesNonErrorStatusesAndBadKeys() {
    assertThatThrownBy(() -> Rejection.of(200, "OK")).hasMessageContaining("400..599");
    assertThatThrownBy(() -> Rejection.of(400, "bad-key")).hasMessageContaining("UPPER_SNAKE_CASE");
    assertThatThrownBy(() -> Rejection.of(400, "")).hasMessageContaining("UPPER_SNAKE_CASE");
  }
}
