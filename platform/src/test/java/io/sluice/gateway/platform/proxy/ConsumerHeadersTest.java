// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.platform.config.ConsumerHeadersConfig;
import io.vertx.core.MultiMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConsumerHeadersTest {

  private static MultiMap spoofed() {
    return MultiMap.caseInsensitiveMultiMap()
        .add("x-user", "admin").add("X-Roles", "root").add("X-Scope", "all").add("Accept", "*/*");
  }

  @Test
  void configuredNamesAreStrippedAndSetFromTheConsumer() {
    ConsumerHeaders headers = new ConsumerHeaders(new ConsumerHeadersConfig("X-User", "X-Roles", "X-Scope"));
    MultiMap none = spoofed();
    headers.apply(none, null);
    assertThat(none.names()).containsExactly("Accept");

    MultiMap set = spoofed();
    headers.apply(set, new Consumer("alice", Set.of("b", "a"), Set.of("write", "read"), Map.of()));
    assertThat(set.getAll("X-User")).containsExactly("alice");
    assertThat(set.get("X-Roles")).isEqualTo("a,b");
    assertThat(set.get("X-Scope")).isEqualTo("read write");
  }

  @Test
  void headerNamesAreValidated() {
    assertThatThrownBy(() -> new ConsumerHeadersConfig("X User", null, null)).hasMessageStartingWith("id: 'X User' is not a header name");
    assertThat(ConsumerHeadersConfig.defaults().scopes()).isEqualTo("X-Authenticated-Scope");
  }
}
