// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetryBudgetTest {

  private static final long MS = 1_000_000L;

  @Test
  void duringAFullOutageRetriesAddAtMostTheBudgetedShare() {
    RetryBudget budget = new RetryBudget(20, 1);
    long now = 1_000_000 * MS;
    int retries = 0;
    int requests = 0;
    // 30 s at 200 requests/s, every one failing and asking for a retry.
    for (int ms = 0; ms < 30_000; ms += 5) {
      long t = now + ms * MS;
      budget.request(t);
      requests++;
      if (budget.tryRetry(t)) {
        retries++;
      }
    }
    // 20% of 6000 requests, plus at most the 10 reserve retries per window of 10 s.
    assertThat(retries).isBetween(1150, 1230);
    assertThat(retries).isLessThan(requests);
  }

  @Test
  void aQuietUpstreamStillGetsItsMinimumRetries() {
    RetryBudget budget = new RetryBudget(20, 1);
    long now = 77_000 * MS;
    int allowed = 0;
    for (int i = 0; i < 50; i++) {
      if (budget.tryRetry(now)) {
        allowed++;
      }
    }
    assertThat(allowed).isEqualTo(10);
    assertThat(budget.tryRetry(now + 10_001 * MS)).as("the window moved on").isTrue();
  }
}
