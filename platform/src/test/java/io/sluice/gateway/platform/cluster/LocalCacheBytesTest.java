// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.api.cluster.Cache;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The single-node cache store is bounded by bytes (Caffeine, weighing key + value + overhead), not by entries. */
class LocalCacheBytesTest {

  @Test
  void keepsNoMoreBytesThanItsBound() {
    LocalClusterServices backend = new LocalClusterServices(100_000L);
    Cache cache = backend.namespaced("cache").cache("responses");
    Buffer kilobyte = Buffer.buffer(new byte[1024]);
    for (int i = 0; i < 1000; i++) {
      cache.put("k" + i, kilobyte, Duration.ofMinutes(1)).await();
    }
    int kept = 0;
    for (int i = 0; i < 1000; i++) {
      if (cache.get("k" + i).await() != null) {
        kept++;
      }
    }
    assertThat(kept).isBetween(1, 100_000 / 1024);
  }

  @Test
  void manySmallEntriesFitWhereFewLargeOnesDo() {
    LocalClusterServices backend = new LocalClusterServices(1_000_000L);
    Cache cache = backend.namespaced("cache").cache("small");
    for (int i = 0; i < 2000; i++) {
      cache.put("k" + i, Buffer.buffer("v"), Duration.ofMinutes(1)).await();
    }
    int kept = 0;
    for (int i = 0; i < 2000; i++) {
      if (cache.get("k" + i).await() != null) {
        kept++;
      }
    }
    assertThat(kept).as("2000 entries of ~100 bytes fit in 1 MB").isEqualTo(2000);
    cache.put("huge", Buffer.buffer(new byte[2_000_000]), Duration.ofMinutes(1)).await();
    assertThat(cache.get("huge").await()).as("larger than the whole bound").isNull();
  }
}
