// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.policy;

import io.sluice.gateway.testkit.FakeExchange;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.Rejection;
import io.sluice.gateway.api.Stage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The chain's contract checks on real futures, with a timer the test fires: nothing here waits for a clock.
 */
class ChainRunTest {

  private final FakeExchange exchange = FakeExchange.request(io.vertx.core.http.HttpMethod.GET, "/orders/1").routeId("orders");
  private final List<String> trace = new ArrayList<>();
  private final ManualTimer timer = new ManualTimer();
  private final AtomicInteger upstreamCalls = new AtomicInteger();
  private Promise<Void> upstream = Promise.promise();

  /** A chain timer the test fires by hand, recording whether it is armed. */
  static final class ManualTimer implements ChainTimer {
    @Nullable Runnable expired;
    long millis;
    int arms;

    @Override
    public void arm(long millis, Runnable expired) {
      this.millis = millis;
      this.expired = expired;
      arms++;
    }

    @Override
    public void disarm() {
      expired = null;
    }

    boolean armed() {
      return expired != null;
    }

    void fire() {
      Runnable r = expired;
      expired = null;
      assertThat(r).as("the timer is armed").isNotNull();
      r.run();
    }
  }

  private static ChainEntry entry(String type, Policy policy) {
    return new ChainEntry(type, Stage.TRANSFORM, "builtin", policy);
  }

  /** A policy that records itself on the way in and out. */
  private Policy tracing(String name) {
    return (ex, chain) -> {
      trace.add(">" + name);
      return chain.proceed().onSuccess(v -> trace.add("<" + name));
    };
  }

  private ChainRun run(ChainEntry... entries) {
    return new ChainRun(new PolicyChain(List.of(entries)), "orders", exchange, () -> {
      upstreamCalls.incrementAndGet();
      trace.add("upstream");
      return upstream.future();
    }, timer, 50);
  }

  private static String message(Future<Void> f) {
    assertThat(f.failed()).as("the chain failed").isTrue();
    assertThat(f.cause()).isInstanceOf(PolicyFailure.class);
    return f.cause().getMessage();
  }

  @Test
  void runsThePoliciesInOrderThenTheUpstreamThenBackwards() {
    Future<Void> done = run(entry("a", tracing("a")), entry("b", tracing("b"))).run();
    assertThat(trace).containsExactly(">a", ">b", "upstream");
    assertThat(timer.armed()).as("the upstream's time is not the policies'").isFalse();
    assertThat(done.isComplete()).isFalse();
    upstream.complete();
    assertThat(trace).containsExactly(">a", ">b", "upstream", "<b", "<a");
    assertThat(done.succeeded()).isTrue();
    assertThat(timer.armed()).as("disarmed once the chain is done").isFalse();
    assertThat(timer.arms).as("armed for the request path, then again for the response path").isEqualTo(2);
    assertThat(timer.millis).isEqualTo(50);
    assertThat(upstreamCalls).hasValue(1);
  }

  @Test
  void anEmptyChainIsJustTheUpstreamCall() {
    upstream.complete();
    assertThat(run().run().succeeded()).isTrue();
    assertThat(upstreamCalls).hasValue(1);
  }

  @Test
  void aSecondProceedIsBlamedOnThePolicyThatMadeIt() {
    upstream.complete();
    Future<Void> done = run(entry("outer", tracing("outer")),
        entry("twice", (ex, chain) -> chain.proceed().compose(v -> chain.proceed()))).run();
    assertThat(message(done)).isEqualTo("policy 'twice' on route 'orders' called proceed() twice");
    assertThat(upstreamCalls).as("the second proceed() does not reach the upstream").hasValue(1);
    assertThat(((PolicyFailure) done.cause()).policyType()).isEqualTo("twice");
  }

  @Test
  void aNullFutureIsAContractBreach() {
    Future<Void> done = run(entry("null", (ex, chain) -> null)).run();
    assertThat(message(done)).isEqualTo("policy 'null' on route 'orders' returned null instead of a future");
    assertThat(upstreamCalls).hasValue(0);
  }

  @Test
  void aThrowAndAFailedFutureAreThePolicysFailures() {
    Future<Void> threw = run(entry("thrower", (ex, chain) -> {
      throw new IllegalStateException("boom");
    })).run();
    assertThat(message(threw)).isEqualTo("policy 'thrower' on route 'orders' threw java.lang.IllegalStateException: boom");
    assertThat(threw.cause().getCause()).isInstanceOf(IllegalStateException.class);

    Future<Void> failed = run(entry("ok", tracing("ok")), entry("failing", (ex, chain) -> Future.failedFuture("nope")))
        .run();
    assertThat(message(failed)).startsWith("policy 'failing' on route 'orders' failed: ").endsWith("nope");
  }

  @Test
  void aFailureFromFurtherDownIsNotBlamedOnThePoliciesItPassesThrough() {
    Future<Void> done = run(entry("outer", tracing("outer")), entry("inner", (ex, chain) -> Future.failedFuture("inner broke")))
        .run();
    assertThat(message(done)).as("the policy that failed, not the one it passed through")
        .startsWith("policy 'inner' on route 'orders' failed");
  }

  @Test
  void anUpstreamFailurePassesThroughWithoutBlame() {
    Future<Void> done = run(entry("a", tracing("a"))).run();
    RuntimeException refused = new RuntimeException("refused");
    upstream.fail(refused);
    assertThat(done.cause()).as("marked as the end's failure, blaming no policy")
        .isInstanceOf(ChainRun.EndFailure.class).hasCause(refused);
    assertThat(trace).containsExactly(">a", "upstream");
  }

  @Test
  void aHangingPolicyTimesOutAndIsNamed() {
    Promise<Void> never = Promise.promise();
    Future<Void> done = run(entry("first", tracing("first")), entry("hang", (ex, chain) -> never.future())).run();
    assertThat(done.isComplete()).isFalse();
    timer.fire();
    assertThat(message(done)).isEqualTo("policy 'hang' on route 'orders' did not complete within 50ms");
    assertThat(upstreamCalls).hasValue(0);
  }

  @Test
  void aPolicyThatProceedsAfterTheTimeoutDoesNotReachTheUpstream() {
    List<Policy.Chain> later = new ArrayList<>();
    Future<Void> done = run(entry("late", (ex, chain) -> {
      later.add(chain);
      return Promise.<Void>promise().future();
    })).run();
    timer.fire();
    assertThat(message(done)).contains("'late'").contains("did not complete within 50ms");
    Future<Void> tooLate = later.get(0).proceed();
    assertThat(tooLate.failed()).isTrue();
    assertThat(upstreamCalls).hasValue(0);
  }

  @Test
  void aSlowResponsePathTimesOutOnThePolicyStillAtWork() {
    Promise<Void> slowResponse = Promise.promise();
    Future<Void> done = run(entry("outer", tracing("outer")),
        entry("slow-response", (ex, chain) -> chain.proceed().compose(v -> slowResponse.future()))).run();
    assertThat(timer.armed()).isFalse();
    upstream.complete();
    assertThat(timer.armed()).as("re-armed for the response path").isTrue();
    timer.fire();
    assertThat(message(done)).isEqualTo("policy 'slow-response' on route 'orders' did not complete within 50ms");
  }

  @Test
  void aRejectionStopsTheChainBeforeTheUpstream() {
    Future<Void> done = run(
        entry("guard", (ex, chain) -> {
          ex.reject(Rejection.of(403, "FORBIDDEN"));
          return chain.proceed();
        }),
        entry("after", tracing("after"))).run();
    assertThat(done.succeeded()).isTrue();
    assertThat(trace).as("neither the next policy nor the upstream ran").isEmpty();
    assertThat(upstreamCalls).hasValue(0);
    assertThat(timer.armed()).isFalse();
  }
}
