// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.testkit;

import io.sluice.gateway.api.auth.Consumers;
import io.sluice.gateway.api.Exchange;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.PolicyContext;
import io.sluice.gateway.api.Rejection;
import io.sluice.gateway.api.cluster.ClusterServices;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Runs policies the way the gateway does: on a Vert.x event loop, with an in-memory cluster facade that keeps
 * the cluster contract ({@link InMemoryClusterServices}) and a real HTTP client. {@link #apply} blocks the
 * test thread until the policy's future completes, so tests read top to bottom.
 */
public final class PolicyHarness implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final InMemoryClusterServices cluster = new InMemoryClusterServices();
  private final WebClient httpClient = WebClient.create(vertx);
  private volatile Consumers consumers = Consumers.none();

  /** Gives the contexts made from now on these consumers ({@link TestConsumers}); none by default. */
  public PolicyHarness consumers(Consumers consumers) {
    this.consumers = consumers;
    return this;
  }

  /**
   * The context a factory gets: route {@code test-route}, this harness's Vert.x, HTTP client and cluster
   * facade (namespaced with {@code policyType}, as the gateway does).
   */
  public PolicyContext context(String policyType) {
    ClusterServices services = cluster.namespaced(policyType);
    Vertx v = vertx;
    WebClient http = httpClient;
    Consumers known = consumers;
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
      public WebClient httpClient() {
        return http;
      }

      @Override
      public Consumers consumers() {
        return known;
      }

      @Override
      public ClusterServices cluster() {
        return services;
      }
    };
  }

  /** The cluster facade behind {@link #context}, to seed or inspect state (namespace it like the policy). */
  public InMemoryClusterServices cluster() {
    return cluster;
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

  /**
   * Applies a policy that either refuses a request or lets it through (authentication, authorization, limits,
   * filters) in front of an upstream that answers 200, and returns its rejection, or null when the request went
   * on. Fails when the upstream was reached although the policy rejected, or not reached although it did not:
   * the check every negative test of such a policy owes ("the backend is never reached").
   */
  public @Nullable Rejection decide(Policy policy, FakeExchange exchange) {
    TestChain chain = TestChain.upstreamOk(exchange);
    apply(policy, exchange, chain);
    int expected = exchange.rejected() ? 0 : 1;
    if (chain.proceeded() != expected) {
      throw new AssertionError("the upstream was reached " + chain.proceeded() + " times by a "
          + (exchange.rejected() ? "rejected" : "admitted") + " request, expected " + expected);
    }
    return exchange.rejection();
  }

  /**
   * Applies {@code policy} to every exchange in the same event-loop turn (truly concurrent for the policy: none
   * completes before all have started), each in front of an upstream that answers 200, and waits for all.
   */
  public void applyConcurrently(Policy policy, List<FakeExchange> exchanges) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      List<Future<Void>> all = new ArrayList<>();
      for (FakeExchange e : exchanges) {
        all.add(policy.apply(e, TestChain.upstreamOk(e)));
      }
      Future.all(all).<Void>mapEmpty().onComplete(done);
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
