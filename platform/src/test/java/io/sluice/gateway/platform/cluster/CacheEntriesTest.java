// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class CacheEntriesTest {

  @Test
  void anEntryReadsBackUntilItsExpiryAndIsAbsentFromIt() {
    byte[] wire = CacheEntries.wire(Buffer.buffer("hello"), 1_000);
    assertThat(CacheEntries.value(wire, 999)).isEqualTo(Buffer.buffer("hello"));
    assertThat(CacheEntries.value(wire, 1_000)).isNull();
    assertThat(CacheEntries.value(wire, 5_000)).isNull();
  }

  @Test
  void anEmptyValueIsAValueAndShortOrMissingBytesAreNone() {
    assertThat(CacheEntries.value(CacheEntries.wire(Buffer.buffer(), 10), 0)).isEqualTo(Buffer.buffer());
    assertThat(CacheEntries.value(new byte[3], 0)).isNull();
    assertThat(CacheEntries.value(null, 0)).isNull();
  }
}
