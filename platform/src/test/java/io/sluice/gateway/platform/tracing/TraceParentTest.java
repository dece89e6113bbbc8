// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceParentTest {

  @Test
  void readsTheSpecsExample() {
    TraceParent p = TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    assertThat(p).isNotNull();
    assertThat(TraceIds.hex(p.traceHi, p.traceLo)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(TraceIds.hex(p.parentId)).isEqualTo("00f067aa0ba902b7");
    assertThat(p.sampled()).isTrue();
    assertThat(TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00").sampled()).isFalse();
    assertThat(TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03").sampled())
        .as("unknown flags are ignored, the sampled bit read").isTrue();
  }

  @Test
  void idsWithTheHighBitSetAreRead() {
    TraceParent p = TraceParent.parse("00-ffffffffffffffffffffffffffffffff-ffffffffffffffff-01");
    assertThat(TraceIds.hex(p.traceHi, p.traceLo)).isEqualTo("ffffffffffffffffffffffffffffffff");
    assertThat(p.parentId).isEqualTo(-1L);
  }

  @Test
  void laterVersionsAreReadByTheFieldsTheyShare() {
    assertThat(TraceParent.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).isNotNull();
    assertThat(TraceParent.parse("fe-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-more")).isNotNull();
    assertThat(TraceParent.parse("fe-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01more")).isNull();
  }

  @Test
  void refusesEverythingTheSpecCallsInvalid() {
    String[] invalid = {
      null, "", "00", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01 ",
      " 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-",
      "0a-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0A",
      "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01",
      "FF-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736+00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",
      "00-+bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "0x-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    };
    for (String v : invalid) {
      assertThat(TraceParent.parse(v)).as(String.valueOf(v)).isNull();
    }
  }

  @Test
  void theRatioSamplerIsDeterministicPerTraceAndHonoursItsBounds() {
    Sampler never = new Sampler(0, true);
    Sampler always = new Sampler(1, true);
    Sampler half = new Sampler(0.5, false);
    TraceParent sampledParent = TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    assertThat(never.sample(null, Long.MIN_VALUE + 1)).isFalse();
    assertThat(never.sample(null, 1)).isFalse();
    assertThat(never.sample(sampledParent, 1)).as("parent-based").isTrue();
    assertThat(always.sample(null, Long.MAX_VALUE)).isTrue();
    assertThat(half.sample(null, 1)).isTrue();
    assertThat(half.sample(null, Long.MAX_VALUE - 1)).isFalse();
    assertThat(half.sample(sampledParent, Long.MAX_VALUE - 1)).as("not parent-based").isFalse();
  }
}
