// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.scopes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.testkit.FakeExchange;
import io.sluice.gateway.testkit.PolicyHarness;
import io.sluice.gateway.testkit.TestChain;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ScopesPolicyTest {

  private final PolicyHarness harness = new PolicyHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  private FakeExchange run(Policy policy, Consumer consumer) {
    FakeExchange exchange = FakeExchange.request(HttpMethod.GET, "/x");
    if (consumer != null) {
      exchange.consumer(consumer);
    }
    harness.apply(policy, exchange, TestChain.upstreamOk(exchange));
    return exchange;
  }

  private static Consumer granted(String... scopes) {
    return Consumer.of("c").withScopes(Set.of(scopes));
  }

  @Test
  void allNeedsEveryScopeAndSaysWhichInWwwAuthenticate() {
    Policy policy = new ScopesPolicyFactory().create(new ScopesConfig(List.of("read", "write"), null), harness.context("scopes"));
    assertThat(run(policy, granted("read", "write", "admin")).rejected()).isFalse();
    FakeExchange partial = run(policy, granted("read"));
    assertThat(partial.rejection().status()).isEqualTo(403);
    assertThat(partial.rejection().key()).isEqualTo("INSUFFICIENT_SCOPE");
    assertThat(partial.rejection().headers().get("WWW-Authenticate"))
        .isEqualTo("Bearer error=\"insufficient_scope\", scope=\"read write\"");
    assertThat(run(policy, null).rejection().key()).isEqualTo("AUTH_MISSING");
  }

  @Test
  void anyNeedsOne() {
    Policy policy = new ScopesPolicyFactory().create(new ScopesConfig(List.of("read", "write"), "any"), harness.context("scopes"));
    assertThat(run(policy, granted("write")).rejected()).isFalse();
    assertThat(run(policy, granted("admin")).rejection().key()).isEqualTo("INSUFFICIENT_SCOPE");
    assertThatThrownBy(() -> new ScopesConfig(List.of(), null)).hasMessageStartingWith("required:");
    assertThatThrownBy(() -> new ScopesConfig(List.of("a b"), null)).hasMessageStartingWith("required[0]:");
    assertThatThrownBy(() -> new ScopesConfig(List.of("a"), "some")).hasMessageStartingWith("mode:");
  }
}
