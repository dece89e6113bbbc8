// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.policy;

import io.sluice.gateway.api.Exchange;
import io.sluice.gateway.api.Policy;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One exchange through a route's chain (OkHttp's {@code RealInterceptorChain} on Vert.x futures). Each policy
 * gets its own {@link Policy.Chain} link, so a second {@code proceed()} is caught and blamed on the right
 * policy. A watchdog bounds the time control spends inside policies (request path, and again response path),
 * never the upstream's time. Event-loop confined.
 */
public final class ChainRun {

  private final PolicyChain chain;
  private final String routeId;
  private final Exchange exchange;
  private final Supplier<Future<Void>> end;
  private final ChainTimer timer;
  private final long timeoutMillis;
  private final Runnable onTimeout = this::timedOut;
  private boolean armed;
  private final Promise<Void> result = Promise.promise();
  private final boolean[] completed;
  private int deepestEntered = -1;
  private @Nullable ChainSpans spans;
  /** Where each policy's own time goes; checked once so that a chain without metrics reads no clock. */
  private final PolicyTimings timings;
  private final boolean timed;

  /**
   * @param end the end of the chain (the upstream call); completes when the response head is in. Its failure
   *     reaches the policies and the caller as an {@link EndFailure}, so that no policy is blamed for it. Once
   *     the exchange is {@link Exchange#rejected() rejected}, later links do not proceed further.
   */
  public ChainRun(
      PolicyChain chain,
      String routeId,
      Exchange exchange,
      Supplier<Future<Void>> end,
      ChainTimer timer,
      long timeoutMillis) {
    this.chain = chain;
    this.routeId = routeId;
    this.exchange = exchange;
    this.end = end;
    this.timer = timer;
    this.timeoutMillis = timeoutMillis;
    this.completed = new boolean[chain.size()];
    this.timings = chain.timings();
    this.timed = timings != PolicyTimings.NONE;
  }

  /** Reports each policy's entry and completion to {@code spans} (tracing); call before {@link #run}. */
  public ChainRun spans(ChainSpans spans) {
    this.spans = spans;
    return this;
  }

  /** Runs the chain; fails with {@link PolicyFailure} when a policy breaks its contract. */
  public Future<Void> run() {
    arm();
    step(0).onComplete(ar -> {
      disarm();
      if (ar.succeeded()) {
        result.tryComplete();
      } else {
        result.tryFail(ar.cause());
      }
    });
    return result.future();
  }

  private Future<Void> step(int index) {
    if (result.future().isComplete()) {
      return Future.failedFuture("chain already finished");
    }
    if (exchange.rejected()) {
      return Future.succeededFuture();
    }
    if (index == chain.size()) {
      disarm();
      Future<Void> call;
      try {
        call = end.get();
      } catch (RuntimeException e) {
        call = Future.failedFuture(e);
      }
      return call.transform(ar -> {
        arm();
        return ar.succeeded() ? Future.succeededFuture() : Future.failedFuture(new EndFailure(ar.cause()));
      });
    }
    ChainEntry entry = chain.get(index);
    deepestEntered = Math.max(deepestEntered, index);
    Link link = new Link(index);
    ChainSpans traced = spans;
    if (traced != null) {
      traced.policyEntered(index, entry.type());
    }
    if (timed) {
      link.startNanos = System.nanoTime();
    }
    Future<Void> applied;
    try {
      applied = entry.policy().apply(exchange, link);
      if (applied == null) {
        applied = Future.failedFuture(failure(index, "returned null instead of a future", null));
      }
    } catch (Throwable t) {
      applied = Future.failedFuture(failure(index, "threw " + t, t));
    }
    return applied.transform(ar -> {
      completed[index] = true;
      ChainSpans left = spans; // read here, not captured: a run without spans keeps its lambda's size
      if (left != null) {
        left.policyLeft(index, ar.failed());
      }
      if (timed) {
        link.recordOwnTime();
      }
      if (ar.succeeded()) {
        return Future.succeededFuture();
      }
      Throwable cause = ar.cause();
      if (cause instanceof PolicyFailure || cause instanceof EndFailure
          || cause instanceof io.sluice.gateway.api.BodyTooLargeException) {
        return Future.failedFuture(cause);
      }
      if (link.downstreamFailure != null && link.downstreamFailure == cause) {
        return Future.failedFuture(cause);
      }
      return Future.failedFuture(failure(index, "failed: " + cause, cause));
    });
  }

  private PolicyFailure failure(int index, String what, Throwable cause) {
    timings.failed(index);
    return new PolicyFailure(chain.get(index).type(), routeId, what, cause);
  }

  private void arm() {
    if (!armed && !result.future().isComplete()) {
      armed = true;
      timer.arm(timeoutMillis, onTimeout);
    }
  }

  private void timedOut() {
    armed = false;
    int culprit = deepestEntered;
    while (culprit > 0 && completed[culprit]) {
      culprit--;
    }
    if (culprit < 0) {
      culprit = 0;
    }
    result.tryFail(failure(culprit, "did not complete within " + timeoutMillis + "ms", null));
  }

  private void disarm() {
    if (armed) {
      armed = false;
      timer.disarm();
    }
  }

  /** The rest of the chain as seen by the policy at {@code index}. */
  private final class Link implements Policy.Chain {
    private final int index;
    private boolean proceeded;
    private Throwable downstreamFailure;
    /** For the policy's own time: when it was entered, when it proceeded, when the rest of the chain was done. */
    long startNanos;
    private long proceededNanos;
    private long resumedNanos;

    Link(int index) {
      this.index = index;
    }

    @Override
    public Future<Void> proceed() {
      if (proceeded) {
        PolicyFailure twice = failure(index, "called proceed() twice", null);
        result.tryFail(twice);
        return Future.failedFuture(twice);
      }
      proceeded = true;
      if (!timed) {
        return step(index + 1).onFailure(err -> downstreamFailure = err);
      }
      proceededNanos = System.nanoTime();
      return step(index + 1).onComplete(ar -> {
        resumedNanos = System.nanoTime();
        if (ar.failed()) {
          downstreamFailure = ar.cause();
        }
      });
    }

    /** Records the time control spent in this policy: before it proceeded, and after the rest returned. */
    void recordOwnTime() {
      long now = System.nanoTime();
      long own;
      if (!proceeded) {
        own = now - startNanos;
      } else {
        own = proceededNanos - startNanos;
        if (resumedNanos != 0) {
          own += now - resumedNanos;
        }
      }
      timings.record(index, own);
    }
  }

  /**
   * The end of the chain (the upstream call) failed: travels back through the policies without any being blamed
   * for it; its cause is the end's own failure.
   */
  public static final class EndFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    EndFailure(Throwable cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }
}
