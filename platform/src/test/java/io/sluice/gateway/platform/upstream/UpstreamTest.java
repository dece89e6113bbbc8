// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class UpstreamTest {

  @Test
  void smoothWeightedRoundRobinInterleavesByWeight() {
    Target a = new Target("a", 1, false, 5);
    Target b = new Target("b", 1, false, 1);
    Target c = new Target("c", 1, false, 1);
    Upstream upstream = new Upstream("u", "", List.of(a, b, c));
    List<String> picks = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      picks.add(upstream.next().host());
    }
    assertThat(picks).containsExactly("a", "a", "b", "a", "c", "a", "a");
    Map<String, Long> counts = new ArrayList<String>() {{
        for (int i = 0; i < 7000; i++) {
          add(upstream.next().host());
        }
      }}.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(counts).containsEntry("a", 5000L).containsEntry("b", 1000L).containsEntry("c", 1000L);
  }
}
