// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.platform.config.CircuitBreakerConfig;
import io.sluice.gateway.platform.upstream.CircuitBreaker.State;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

  private static final long SECOND = 1_000_000_000L;
  private final CircuitBreaker breaker = new CircuitBreaker(new CircuitBreakerConfig(50, 10, 4, Duration.ofSeconds(30), 2));
  private long now = 5 * SECOND;

  private void outcome(Outcome o) {
    int permit = breaker.acquire(now);
    assertThat(permit).isEqualTo(CircuitBreaker.NORMAL);
    breaker.record(permit, o, now);
  }

  @Test
  void staysClosedBelowTheMinimumNumberOfRequests() {
    outcome(Outcome.RESET);
    outcome(Outcome.RESET);
    outcome(Outcome.RESET);
    assertThat(breaker.state(now)).isEqualTo(State.CLOSED);
    outcome(Outcome.RESET);
    assertThat(breaker.state(now)).isEqualTo(State.OPEN);
  }

  @Test
  void opensAtTheFailureRateOverTheWindowAndOnlyThen() {
    for (int i = 0; i < 10; i++) {
      outcome(Outcome.SUCCESS);
    }
    for (int i = 0; i < 4; i++) {
      outcome(Outcome.SERVER_ERROR);
    }
    assertThat(breaker.state(now)).as("4 of the last 10 failed").isEqualTo(State.CLOSED);
    outcome(Outcome.TIMEOUT);
    assertThat(breaker.state(now)).as("5 of the last 10 failed").isEqualTo(State.OPEN);
    assertThat(breaker.allows(now)).isFalse();
    assertThat(breaker.acquire(now)).isEqualTo(CircuitBreaker.DENIED);
  }

  @Test
  void cancelledRequestsDoNotCount() {
    for (int i = 0; i < 20; i++) {
      outcome(Outcome.CANCELLED);
    }
    assertThat(breaker.state(now)).isEqualTo(State.CLOSED);
  }

  @Test
  void halfOpenAfterOpenForThenClosesWhenEveryTrialSucceeds() {
    openIt();
    now += 30 * SECOND - 1;
    assertThat(breaker.state(now)).isEqualTo(State.OPEN);
    assertThat(breaker.remainingOpenNanos(now)).isEqualTo(1);
    now += 1;
    assertThat(breaker.state(now)).isEqualTo(State.HALF_OPEN);
    int first = breaker.acquire(now);
    int second = breaker.acquire(now);
    assertThat(first).isEqualTo(CircuitBreaker.TRIAL);
    assertThat(second).isEqualTo(CircuitBreaker.TRIAL);
    assertThat(breaker.acquire(now)).as("only trialRequests at once").isEqualTo(CircuitBreaker.DENIED);
    breaker.record(first, Outcome.SUCCESS, now);
    assertThat(breaker.state(now)).isEqualTo(State.HALF_OPEN);
    breaker.record(second, Outcome.SUCCESS, now);
    assertThat(breaker.state(now)).isEqualTo(State.CLOSED);
    outcome(Outcome.RESET);
    assertThat(breaker.state(now)).as("the window starts empty after closing").isEqualTo(State.CLOSED);
  }

  @Test
  void aFailedTrialOpensItAgainForAnotherFullPeriod() {
    openIt();
    now += 30 * SECOND;
    int trial = breaker.acquire(now);
    breaker.record(trial, Outcome.CONNECT_FAILURE, now);
    assertThat(breaker.state(now)).isEqualTo(State.OPEN);
    assertThat(breaker.remainingOpenNanos(now)).isEqualTo(30 * SECOND);
  }

  @Test
  void aCancelledTrialGivesItsPlaceBack() {
    openIt();
    now += 30 * SECOND;
    int a = breaker.acquire(now);
    int b = breaker.acquire(now);
    assertThat(breaker.allows(now)).isFalse();
    breaker.record(a, Outcome.CANCELLED, now);
    assertThat(breaker.allows(now)).isTrue();
    breaker.record(b, Outcome.SUCCESS, now);
    breaker.record(breaker.acquire(now), Outcome.SUCCESS, now);
    assertThat(breaker.state(now)).isEqualTo(State.CLOSED);
  }

  @Test
  void outcomesOfRequestsStartedBeforeItOpenedAreIgnored() {
    int early = breaker.acquire(now);
    openIt();
    now += 30 * SECOND;
    breaker.record(early, Outcome.SUCCESS, now);
    assertThat(breaker.state(now)).isEqualTo(State.HALF_OPEN);
  }

  private void openIt() {
    for (int i = 0; i < 4; i++) {
      outcome(Outcome.RESET);
    }
    assertThat(breaker.state(now)).isEqualTo(State.OPEN);
  }
}
