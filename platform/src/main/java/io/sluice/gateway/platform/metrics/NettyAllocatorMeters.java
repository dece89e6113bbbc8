// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocatorMetric;

/**
 * Netty's pooled buffer allocator (the one Vert.x's connections allocate from) as gauges, read at a scrape
 * only: memory used by area, arenas and thread caches. This is what the gateway reports of Netty and Vert.x
 * instead of binding {@code vertx-micrometer-metrics}, whose HTTP server and client metrics run code on every
 * request and every pooled connection use (docs/observability.md).
 */
final class NettyAllocatorMeters implements MeterBinder {

  @Override
  public void bindTo(MeterRegistry registry) {
    // Vert.x 5 allocates from Netty's default allocator: adaptive in Netty 4.2, pooled on request
    // (-Dio.netty.allocator.type=pooled); both report the memory they hold.
    if (!(ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider)) {
      return;
    }
    ByteBufAllocatorMetric used = provider.metric();
    Gauge.builder("netty.allocator.memory.used", used, ByteBufAllocatorMetric::usedDirectMemory)
        .description("Memory Netty's allocator holds, by area").baseUnit("bytes").tag("area", "direct")
        .strongReference(true).register(registry);
    Gauge.builder("netty.allocator.memory.used", used, ByteBufAllocatorMetric::usedHeapMemory)
        .description("Memory Netty's allocator holds, by area").baseUnit("bytes").tag("area", "heap")
        .strongReference(true).register(registry);
    if (!(ByteBufAllocator.DEFAULT instanceof PooledByteBufAllocator pooled)) {
      return;
    }
    PooledByteBufAllocatorMetric metric = pooled.metric();
    Gauge.builder("netty.allocator.arenas", metric, m -> m.numDirectArenas())
        .description("Arenas of Netty's pooled allocator, by area").tag("area", "direct")
        .strongReference(true).register(registry);
    Gauge.builder("netty.allocator.arenas", metric, m -> m.numHeapArenas())
        .description("Arenas of Netty's pooled allocator, by area").tag("area", "heap")
        .strongReference(true).register(registry);
    Gauge.builder("netty.allocator.thread.caches", metric, m -> m.numThreadLocalCaches())
        .description("Thread-local caches of Netty's pooled allocator (about one per event loop)")
        .strongReference(true).register(registry);
  }
}
