// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Both backends share these rules; the contract tests run them through each backend's facade. */
class ClusterKeysTest {

  @Test
  void namespacesAndScopesWithTheNulSeparator() {
    String prefix = ClusterKeys.namespace("rate-limit");
    assertThat(prefix).isEqualTo("rate-limit\u0000");
    assertThat(ClusterKeys.scoped(prefix, "sessions")).isEqualTo("rate-limit\u0000sessions\u0000");
  }

  @Test
  void aTimeToLiveIsAtLeastOneMillisecondOnBothBackends() {
    assertThat(ClusterKeys.ttlMillis(Duration.ofMillis(1))).isEqualTo(1);
    assertThat(ClusterKeys.ttlNanos(Duration.ofSeconds(2))).isEqualTo(2_000_000_000L);
    for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofMillis(-1), Duration.ofNanos(999_999)}) {
      assertThatThrownBy(() -> ClusterKeys.ttlMillis(bad)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("the time-to-live must be at least 1 ms, was " + bad);
      assertThatThrownBy(() -> ClusterKeys.ttlNanos(bad)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("the time-to-live must be at least 1 ms, was " + bad);
    }
  }
}
