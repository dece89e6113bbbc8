// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.testkit.FakeExchange;
import io.sluice.gateway.testkit.PolicyHarness;
import io.sluice.gateway.testkit.TestChain;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AclPolicyTest {

  private final PolicyHarness harness = new PolicyHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  private String outcome(Policy policy, Consumer consumer) {
    FakeExchange exchange = FakeExchange.request(HttpMethod.GET, "/x");
    if (consumer != null) {
      exchange.consumer(consumer);
    }
    TestChain chain = TestChain.upstreamOk(exchange);
    harness.apply(policy, exchange, chain);
    return chain.proceeded() == 1 ? "ok" : exchange.rejection().status() + " " + exchange.rejection().key();
  }

  private static Consumer in(String... groups) {
    return new Consumer("c", Set.of(groups), Set.of(), Map.of());
  }

  @Test
  void denyWinsOverAllowAndNoConsumerIsUnauthenticated() {
    Policy policy = new AclPolicyFactory().create(new AclConfig(List.of("staff", "partners"), List.of("banned")),
        harness.context("acl"));
    assertThat(outcome(policy, in("staff"))).isEqualTo("ok");
    assertThat(outcome(policy, in("partners", "other"))).isEqualTo("ok");
    assertThat(outcome(policy, in("staff", "banned"))).isEqualTo("403 ACL_DENIED");
    assertThat(outcome(policy, in("other"))).isEqualTo("403 ACL_DENIED");
    assertThat(outcome(policy, in())).isEqualTo("403 ACL_DENIED");
    assertThat(outcome(policy, null)).isEqualTo("401 AUTH_MISSING");
  }

  @Test
  void aDenyListAloneLetsEveryOtherGroupThrough() {
    Policy policy = new AclPolicyFactory().create(new AclConfig(null, List.of("banned")), harness.context("acl"));
    assertThat(outcome(policy, in())).isEqualTo("ok");
    assertThat(outcome(policy, in("banned"))).isEqualTo("403 ACL_DENIED");
    assertThatThrownBy(() -> new AclConfig(null, null)).hasMessage("set allow, deny or both");
  }
}
