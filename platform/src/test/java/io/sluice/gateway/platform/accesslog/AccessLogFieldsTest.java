// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessLogFieldsTest {

  @Test
  void cacheOutcomeIsTheLastMembersHitOrForwardReason() {
    assertThat(CacheOutcome.of(null)).isNull();
    assertThat(CacheOutcome.of("sluice; hit; ttl=30")).isEqualTo("hit");
    assertThat(CacheOutcome.of("sluice; fwd=uri-miss; stored")).isEqualTo("uri-miss");
    assertThat(CacheOutcome.of("cdn; hit, sluice; fwd=stale; fwd-status=304")).isEqualTo("stale");
    assertThat(CacheOutcome.of("sluice; fwd=miss; detail=only-if-cached")).isEqualTo("miss");
    assertThat(CacheOutcome.of("sluice")).isEqualTo("unknown");
    assertThat(CacheOutcome.of("sluice; fwd=\"<script>\"")).as("never echoed raw").isEqualTo("unknown");
    assertThat(CacheOutcome.of("sluice; fwd=" + "x".repeat(100))).hasSize(32);
  }

  @Test
  void rateLimitRemainingIsANumberOrNothing() {
    assertThat(AccessLogLine.remaining("42")).isEqualTo(42);
    assertThat(AccessLogLine.remaining(" 0 ")).isZero();
    assertThat(AccessLogLine.remaining(null)).isEqualTo(-1);
    assertThat(AccessLogLine.remaining("-1")).isEqualTo(-1);
    assertThat(AccessLogLine.remaining("1e9")).isEqualTo(-1);
    assertThat(AccessLogLine.remaining("9".repeat(30))).isEqualTo(-1);
  }

  @Test
  void theSuccessSamplerKeepsExactlyItsShareEvenlySpread() {
    assertThat(keptOf(SuccessSampler.ratio(0.25), 8)).containsExactly(3, 7);
    assertThat(keptOf(SuccessSampler.ratio(0.5), 6)).containsExactly(1, 3, 5);
    assertThat(keptOf(SuccessSampler.ratio(0.1), 1000)).hasSize(100);
    assertThat(keptOf(SuccessSampler.ratio(1.0), 5)).hasSize(5);
    assertThat(keptOf(SuccessSampler.ratio(0.0), 5)).isEmpty();
  }

  private static List<Integer> keptOf(SuccessSampler sampler, int n) {
    List<Integer> kept = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (sampler.keep()) {
        kept.add(i);
      }
    }
    return kept;
  }
}
