// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.proxy;

import io.sluice.gateway.api.RouteUpstream;
import io.sluice.gateway.platform.plugin.PluginGeneration;
import io.sluice.gateway.platform.route.Route;
import io.sluice.gateway.platform.route.RouteTable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * Where {@code PolicyContext.upstream()} comes from: the gateway's event loops (each one's {@link ProxyHandler},
 * with its upstream connection pool and header rules), and, per compiled configuration, a {@link Binding} that
 * hands each route's policies a {@link RouteUpstream} bound to that configuration's route once it is compiled.
 * A request a policy sends runs on the caller's event loop with that loop's pool ({@link PolicyUpstreamCall}).
 * Nothing here is touched by an exchange that no policy sends for.
 */
public final class PolicyUpstreams {

  /** An event loop, known by its thread: requests run on duplicated contexts, but always on their loop's thread. */
  private record Loop(Thread thread, ProxyHandler handler) {}

  private final List<Loop> loops = new CopyOnWriteArrayList<>();

  /**
   * An event loop's proxy handler is ready: call it once per loop, from its verticle's start, on the loop's thread.
   */
  public void register(ProxyHandler handler) {
    loops.add(new Loop(Thread.currentThread(), handler));
  }

  /** The proxy handler of the calling event loop, or any one when it is not a proxy loop; null before start. */
  @Nullable ProxyHandler handlerForCaller() {
    Thread caller = Thread.currentThread();
    List<Loop> all = loops;
    for (Loop l : all) {
      if (l.thread() == caller) {
        return l.handler();
      }
    }
    return all.isEmpty() ? null : all.get(0).handler();
  }

  /** A binding for the configuration about to be compiled against {@code generation}. */
  public Binding binding(PluginGeneration generation) {
    return new Binding(generation);
  }

  /**
   * The routes' upstreams of one compiled configuration: handed to the policies while their chains are built
   * ({@link #forRoute}), bound to the routes once the table is compiled ({@link #bind}). A configuration that is
   * refused is never bound; its policies are discarded anyway.
   */
  public final class Binding {

    private final PluginGeneration generation;
    private final Map<String, RouteRequests> routes = new HashMap<>();

    private Binding(PluginGeneration generation) {
      this.generation = generation;
    }

    /** The upstream of route {@code routeId} in this configuration (one per route, shared by its policies). */
    public synchronized RouteUpstream forRoute(String routeId) {
      return routes.computeIfAbsent(routeId, id -> new RouteRequests(PolicyUpstreams.this, generation));
    }

    /** The configuration compiled: each route's upstream now sends through that route. */
    public synchronized void bind(RouteTable table) {
      for (Route r : table.routes()) {
        RouteRequests requests = routes.get(r.id());
        if (requests != null) {
          requests.bind(r);
        }
      }
    }
  }
}
