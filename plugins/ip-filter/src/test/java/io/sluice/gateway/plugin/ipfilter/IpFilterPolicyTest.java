// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.ipfilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.api.Policy;
import io.sluice.gateway.testkit.FakeExchange;
import io.sluice.gateway.testkit.PluginArchitecture;
import io.sluice.gateway.testkit.PolicyHarness;
import io.sluice.gateway.testkit.TestChain;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class IpFilterPolicyTest {

  static final PolicyHarness harness = new PolicyHarness();

  @AfterAll
  static void close() {
    harness.close();
  }

  private static Policy policy(List<String> allow, List<String> deny, List<String> trusted) {
    return new IpFilterPolicyFactory().create(new IpFilterConfig(allow, deny, trusted), harness.context("ip-filter"));
  }

  private static boolean admitted(Policy policy, String remote, String xff) {
    FakeExchange exchange = FakeExchange.request(HttpMethod.GET, "/x").remoteAddress(remote);
    if (xff != null) {
      exchange.header("X-Forwarded-For", xff);
    }
    TestChain chain = TestChain.upstreamOk(exchange);
    harness.apply(policy, exchange, chain);
    if (chain.proceeded() == 0) {
      assertThat(exchange.rejection().status()).isEqualTo(403);
      assertThat(exchange.rejection().key()).isEqualTo("IP_FORBIDDEN");
    }
    return chain.proceeded() == 1;
  }

  @Test
  void allowListAdmitsOnlyItsRangesIpv4AndIpv6() {
    Policy p = policy(List.of("10.0.0.0/8", "2001:db8::/32"), List.of(), List.of());
    assertThat(admitted(p, "10.1.2.3", null)).isTrue();
    assertThat(admitted(p, "2001:db8::7", null)).isTrue();
    assertThat(admitted(p, "192.0.2.1", null)).isFalse();
    assertThat(admitted(p, "2001:db9::1", null)).isFalse();
  }

  @Test
  void denyWinsOverAllow() {
    Policy p = policy(List.of("10.0.0.0/8"), List.of("10.6.6.0/24"), List.of());
    assertThat(admitted(p, "10.6.6.6", null)).isFalse();
    assertThat(admitted(p, "10.6.7.1", null)).isTrue();
  }

  @Test
  void believesForwardedForOnlyFromTrustedProxies() {
    Policy p = policy(List.of(), List.of("203.0.113.0/24"), List.of("10.0.0.0/8"));
    assertThat(admitted(p, "10.0.0.1", "203.0.113.5")).as("via a trusted proxy").isFalse();
    assertThat(admitted(p, "10.0.0.1", "203.0.113.5, 10.0.0.9")).as("through two trusted hops").isFalse();
    assertThat(admitted(p, "10.0.0.1", "203.0.113.5, 198.51.100.1")).as("right-most untrusted hop is the client").isTrue();
    assertThat(admitted(p, "198.51.100.1", "10.0.0.1")).as("an untrusted peer's header is ignored").isTrue();
    assertThat(admitted(p, "203.0.113.9", "198.51.100.1")).as("a denied client cannot spoof its way in").isFalse();
  }

  @Test
  void refusesBadConfiguration() {
    assertThatThrownBy(() -> new IpFilterConfig(List.of(), List.of(), List.of())).hasMessage("needs an allow or a deny list");
    assertThatThrownBy(() -> policy(List.of("10.0.0.0/8", "nope"), List.of(), List.of()))
        .hasMessage("allow[1]: 'nope' is not an IP address or CIDR range");
  }

  @Test
  void usesOnlyThePluginApi() {
    PluginArchitecture.assertUsesOnlyThePluginApi("io.sluice.gateway.plugin.ipfilter");
  }
}
