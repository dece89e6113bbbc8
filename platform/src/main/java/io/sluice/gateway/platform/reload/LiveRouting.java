// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.reload;

import io.sluice.gateway.platform.proxy.RoutingSnapshot;
import io.sluice.gateway.platform.upstream.UpstreamRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The routing snapshot serving new requests, swapped in one atomic write, and the superseded ones still
 * finishing requests in flight, whose policies close once they are idle.
 */
public final class LiveRouting implements AutoCloseable {

  private final AtomicReference<@Nullable RoutingSnapshot> current = new AtomicReference<>();
  private final List<RoutingSnapshot> retiring = new CopyOnWriteArrayList<>();
  private final UpstreamRegistry upstreams;

  public LiveRouting(UpstreamRegistry upstreams) {
    this.upstreams = upstreams;
  }

  /** The snapshot serving new requests; null only before the first {@link #swap}. */
  public @Nullable RoutingSnapshot current() {
    return current.get();
  }

  /** Makes {@code next} current; the previous snapshot closes its policies once its requests are done. */
  public void swap(RoutingSnapshot next) {
    RoutingSnapshot previous = current.getAndSet(next);
    upstreams.activate(next.routes().upstreams());
    if (previous != null && previous != next) {
      retiring.add(previous);
    }
  }

  /** Requests in flight: routed with the current snapshot or one still finishing (a gauge, read at a scrape). */
  public int inFlight() {
    int n = 0;
    RoutingSnapshot now = current.get();
    if (now != null) {
      n += now.inFlight();
    }
    for (RoutingSnapshot s : retiring) {
      n += s.inFlight();
    }
    return n;
  }

  /** Closes the policies of superseded snapshots that no request uses any more. Cheap; called periodically. */
  void retireIdle() {
    for (RoutingSnapshot s : retiring) {
      if (s.idle()) {
        retiring.remove(s);
        s.closePolicies();
      }
    }
  }

  /** Closes every snapshot's policies, the current one's too. */
  @Override
  public void close() {
    for (RoutingSnapshot s : retiring) {
      s.closePolicies();
    }
    retiring.clear();
    RoutingSnapshot last = current.get();
    if (last != null) {
      last.closePolicies();
    }
  }
}
