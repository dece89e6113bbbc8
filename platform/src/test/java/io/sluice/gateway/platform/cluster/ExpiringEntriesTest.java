// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ExpiringEntriesTest {

  @Test
  void anEntryReadsBackUntilItsExpiryAndIsAbsentFromIt() {
    byte[] wire = ExpiringEntries.wire(Buffer.buffer("hello"), 1_000);
    assertThat(ExpiringEntries.buffer(wire, 999)).isEqualTo(Buffer.buffer("hello"));
    assertThat(ExpiringEntries.live(wire, 999)).isTrue();
    assertThat(ExpiringEntries.buffer(wire, 1_000)).isNull();
    assertThat(ExpiringEntries.live(wire, 1_000)).isFalse();
    assertThat(ExpiringEntries.buffer(wire, 5_000)).isNull();
  }

  @Test
  void bytesAndBuffersShareOneForm() {
    byte[] wire = ExpiringEntries.wire("abc".getBytes(StandardCharsets.UTF_8), 10);
    assertThat(wire).isEqualTo(ExpiringEntries.wire(Buffer.buffer("abc"), 10));
    assertThat(ExpiringEntries.bytes(wire, 9)).containsExactly('a', 'b', 'c');
    assertThat(ExpiringEntries.bytes(wire, 10)).isNull();
  }

  @Test
  void anEmptyValueIsAValueAndShortOrMissingBytesAreNone() {
    assertThat(ExpiringEntries.buffer(ExpiringEntries.wire(Buffer.buffer(), 10), 0)).isEqualTo(Buffer.buffer());
    assertThat(ExpiringEntries.bytes(new byte[3], 0)).isNull();
    assertThat(ExpiringEntries.live(new byte[3], 0)).isFalse();
    assertThat(ExpiringEntries.buffer(null, 0)).isNull();
    assertThat(ExpiringEntries.live(null, 0)).isFalse();
  }
}
