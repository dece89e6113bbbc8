// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoredResponseTest {

  @Test
  void roundTripsThroughItsByteForm() {
    StoredResponse s = new StoredResponse(203, 1_000, 1_100, 5_000, 60_000, StoredResponse.MUST_REVALIDATE, 30, -1,
        List.of("accept-language"), List.of("fr"), List.of("ETag", "\"é\"", "Content-Type", "text/plain"),
        Buffer.buffer("corps"), "GET\u0000h\u0000/p?q", List.of("t1", "t2"));
    StoredResponse r = StoredResponse.decode(s.encode());
    assertThat(r.status).isEqualTo(203);
    assertThat(r.requestTime).isEqualTo(1_000);
    assertThat(r.responseTime).isEqualTo(1_100);
    assertThat(r.correctedInitialAge).isEqualTo(5_000);
    assertThat(r.freshness).isEqualTo(60_000);
    assertThat(r.mustRevalidate()).isTrue();
    assertThat(r.noCache()).isFalse();
    assertThat(r.staleWhileRevalidate).isEqualTo(30);
    assertThat(r.staleIfError).isEqualTo(-1);
    assertThat(r.varyNames).containsExactly("accept-language");
    assertThat(r.varyValues).containsExactly("fr");
    assertThat(r.header("etag")).isEqualTo("\"é\"");
    assertThat(r.body).hasToString("corps");
    assertThat(r.primary).isEqualTo("GET\u0000h\u0000/p?q");
    assertThat(r.path()).isEqualTo("/p");
    assertThat(r.tags).containsExactly("t1", "t2");
    assertThat(StoredResponse.varyOf(s.encode())).isNull();
    assertThat(StoredResponse.decode(StoredResponse.encodeVary("id", List.of("a")))).isNull();
    assertThat(StoredResponse.varyOf(StoredResponse.encodeVary("id", List.of("a", "b")))).containsExactly("id", "a", "b");
  }

  @Test
  void ageIsComputedAsSection423Says() {
    // apparent_age = max(0, response_time - date_value); corrected_age_value = age_value + response_delay
    assertThat(StoredResponse.correctedInitialAge(0, 10_000, 11_000, 12_000)).as("apparent age").isEqualTo(2_000);
    assertThat(StoredResponse.correctedInitialAge(30_000, 12_000, 11_000, 12_000)).as("Age + delay")
        .isEqualTo(31_000);
    assertThat(StoredResponse.correctedInitialAge(0, 20_000, 11_000, 12_000)).as("Date in the future")
        .isEqualTo(1_000);
    StoredResponse s = new StoredResponse(200, 11_000, 12_000, 31_000, 60_000, 0, -1, -1, List.of(), List.of(),
        List.of(), Buffer.buffer(), "GET\u0000\u0000/", List.of());
    assertThat(s.currentAge(22_000)).as("plus resident time").isEqualTo(41_000);
    assertThat(s.freshLeft(22_000)).isEqualTo(19_000);
  }

  @Test
  void flattenLeavesOutAge() {
    MultiMap h = MultiMap.caseInsensitiveMultiMap().add("Age", "3").add("X-A", "1").add("X-A", "2");
    assertThat(StoredResponse.flatten(h)).containsExactly("X-A", "1", "X-A", "2");
  }
}
