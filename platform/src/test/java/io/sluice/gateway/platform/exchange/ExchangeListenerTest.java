// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExchangeListenerTest {

  private static final FinishedExchange DONE = new FinishedExchange(1, "id", "r", "GET", "/", 200, null, 0, 0,
      null, 0, 1, -1, "127.0.0.1", null, false, null, null, null, null);

  private static ExchangeListener reading(List<String> seen, String name) {
    return new ExchangeListener() {
      @Override
      public void finished(FinishedExchange exchange) {
        seen.add(name);
      }

      @Override
      public boolean readsResponseHeaders() {
        return true;
      }
    };
  }

  @Test
  void aCombinedListenerTellsEachInOrderAndReadsTheHeadersWhenAnyOfThemDoes() {
    List<String> seen = new ArrayList<>();
    ExchangeListener plain = e -> seen.add("plain");
    assertThat(plain.readsResponseHeaders()).isFalse();
    assertThat(ExchangeListener.of(List.of(plain, e -> seen.add("other"))).readsResponseHeaders()).isFalse();
    ExchangeListener both = ExchangeListener.of(List.of(plain, reading(seen, "log")));
    assertThat(both.readsResponseHeaders()).isTrue();
    both.finished(DONE);
    assertThat(seen).containsExactly("plain", "log");
  }
}
