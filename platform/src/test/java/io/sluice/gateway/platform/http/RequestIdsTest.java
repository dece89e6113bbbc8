// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RequestIdsTest {

  @Test
  void generatesVersion4Uuids() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String id = RequestIds.newId();
      UUID uuid = UUID.fromString(id);
      assertThat(uuid.version()).isEqualTo(4);
      assertThat(uuid.variant()).isEqualTo(2);
      assertThat(uuid.toString()).isEqualTo(id);
      seen.add(id);
    }
    assertThat(seen).hasSize(1000);
  }

  @Test
  void acceptsOnlyWellFormedClientIds() {
    assertThat(RequestIds.fromHeaderOrNew("trace-1.2:3_x")).isEqualTo("trace-1.2:3_x");
    assertThat(RequestIds.fromHeaderOrNew("has space")).isNotEqualTo("has space");
    assertThat(RequestIds.fromHeaderOrNew("x".repeat(129))).hasSize(36);
    assertThat(RequestIds.fromHeaderOrNew(null)).hasSize(36);
  }

  @Test
  void quotesJsonStrings() {
    assertThat(JsonText.quote(new StringBuilder(), "a\"b\\c\n\u0001").toString()).isEqualTo("\"a\\\"b\\\\c\\n\\u0001\"");
  }
}
