// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.testkit;

import io.sluice.gateway.api.Exchange;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.PolicyContext;
import io.sluice.gateway.api.cluster.ClusterServices;
import io.sluice.gateway.platform.cluster.LocalClusterServices;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Runs policies the way the gateway does: on a Vert.x event loop, with a real single-node cluster facade.
 * {@link #apply} blocks the test thread until the policy's future completes, so tests read top to bottom.
 */
public final class PolicyHarness implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final LocalClusterServices cluster = new LocalClusterServices();

  /** The context a factory gets: route {@code test-route}, this harness's Vert.x and cluster facade. */
  public PolicyContext context(String policyType) {
    ClusterServices services = cluster.namespaced(policyType);
    Vertx v = vertx;
    return new PolicyContext() {
      @Override
      public String routeId() {
        return "test-route";
      }

      @Override
      public Vertx vertx() {
        return v;
      }

      @Override
      public ClusterServices cluster() {
        return services;
      }
    };
  }

  /** Applies {@code policy} on the event loop and waits for it; rethrows its failure. */
  public void apply(Policy policy, Exchange exchange, Policy.Chain chain) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      try {
        Future<Void> f = policy.apply(exchange, chain);
        if (f == null) {
          done.fail(new AssertionError("the policy returned null instead of a future"));
        } else {
          f.onComplete(done);
        }
      } catch (RuntimeException e) {
        done.fail(e);
      }
    });
    done.future().await();
  }

  public Vertx vertx() {
    return vertx;
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
