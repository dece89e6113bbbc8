// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConsumerValuesTest {

  @Test
  void readsASpaceSeparatedStringOrAListInOrderWithoutDuplicates() {
    AtomicInteger dropped = new AtomicInteger();
    assertThat(ConsumerValues.scopes("orders:read  orders:write orders:read", dropped::incrementAndGet))
        .containsExactly("orders:read", "orders:write");
    assertThat(ConsumerValues.groups(List.of("gold", "", "internal", 7), dropped::incrementAndGet))
        .containsExactly("gold", "internal");
    assertThat(ConsumerValues.groups(null, dropped::incrementAndGet)).isEmpty();
    assertThat(ConsumerValues.groups(42, dropped::incrementAndGet)).isEmpty();
    assertThat(dropped).hasValue(0);
  }

  @Test
  void dropsWhatWouldReadAsSeveralUpstreamAndSaysSoForEach() {
    AtomicInteger dropped = new AtomicInteger();
    assertThat(ConsumerValues.groups(List.of("gold,admin", "gold", "a\u0001b"), dropped::incrementAndGet))
        .containsExactly("gold");
    assertThat(ConsumerValues.scopes(List.of("orders:read", "a b", "q\"uote"), dropped::incrementAndGet))
        .containsExactly("orders:read");
    assertThat(dropped).hasValue(4);
  }
}
