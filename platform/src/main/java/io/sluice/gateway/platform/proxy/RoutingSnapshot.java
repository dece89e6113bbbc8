// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.proxy;

import io.sluice.gateway.platform.plugin.PluginGeneration;
import io.sluice.gateway.platform.policy.ChainEntry;
import io.sluice.gateway.platform.route.Route;
import io.sluice.gateway.platform.route.RouteTable;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a request is served with, read once at its start: the route table and the plugin generation whose
 * policies the table's chains hold. Swapped whole on every reload; a superseded snapshot closes its policies
 * (e.g. script contexts) once the last request that uses it has ended.
 */
public final class RoutingSnapshot {

  private static final Logger log = LoggerFactory.getLogger(RoutingSnapshot.class);

  private final RouteTable routes;
  private final PluginGeneration plugins;
  private final AtomicInteger inFlight = new AtomicInteger();

  public RoutingSnapshot(RouteTable routes, PluginGeneration plugins) {
    this.routes = routes;
    this.plugins = plugins;
  }

  public RouteTable routes() {
    return routes;
  }

  public PluginGeneration plugins() {
    return plugins;
  }

  /** Counts a request served with this snapshot (and its plugin generation). */
  void enter() {
    inFlight.incrementAndGet();
    plugins.enter();
  }

  void exit() {
    plugins.exit();
    inFlight.decrementAndGet();
  }

  /** Requests being served with this snapshot now (the in-flight gauge). */
  public int inFlight() {
    return inFlight.get();
  }

  /** Whether no request uses this snapshot any more. */
  public boolean idle() {
    return inFlight.get() == 0;
  }

  /** Closes the policies of this snapshot that hold resources. Call once it is superseded and idle. */
  public void closePolicies() {
    for (Route r : routes.routes()) {
      for (ChainEntry e : r.chain().entries()) {
        if (e.policy() instanceof AutoCloseable c) {
          try {
            c.close();
          } catch (Exception ex) {
            log.warn("route {}: policy {} did not close cleanly: {}", r.id(), e.type(), ex.toString());
          }
        }
      }
    }
  }
}
