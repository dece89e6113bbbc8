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

  private static Policy policy(List<String> allow, List<String> deny) {
    return new IpFilterPolicyFactory().create(new IpFilterConfig(allow, deny), harness.context("ip-filter"));
  }

  private static boolean admitted(Policy policy, String client) {
    return admitted(policy, FakeExchange.request(HttpMethod.GET, "/x").remoteAddress(client));
  }

  private static boolean admitted(Policy policy, FakeExchange exchange) {
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
    Policy p = policy(List.of("10.0.0.0/8", "2001:db8::/32"), List.of());
    assertThat(admitted(p, "10.1.2.3")).isTrue();
    assertThat(admitted(p, "2001:db8::7")).isTrue();
    assertThat(admitted(p, "192.0.2.1")).isFalse();
    assertThat(admitted(p, "2001:db9::1")).isFalse();
  }

  @Test
  void denyWinsOverAllow() {
    Policy p = policy(List.of("10.0.0.0/8"), List.of("10.6.6.0/24"));
    assertThat(admitted(p, "10.6.6.6")).isFalse();
    assertThat(admitted(p, "10.6.7.1")).isTrue();
  }

  @Test
  void decidesOnTheClientAddressTheGatewayResolvedNotOnThePeer() {
    Policy p = policy(List.of(), List.of("203.0.113.0/24"));
    FakeExchange behindProxy = FakeExchange.request(HttpMethod.GET, "/x")
        .remoteAddress("10.0.0.1").clientAddress("203.0.113.5");
    assertThat(admitted(p, behindProxy)).as("a denied client behind a trusted proxy").isFalse();
    FakeExchange spoofing = FakeExchange.request(HttpMethod.GET, "/x")
        .remoteAddress("203.0.113.9").header("X-Forwarded-For", "198.51.100.1");
    assertThat(admitted(p, spoofing)).as("the policy never reads X-Forwarded-For itself").isFalse();
  }

  @Test
  void refusesAnUnknownClientAddress() {
    Policy p = policy(List.of(), List.of("203.0.113.0/24"));
    assertThat(admitted(p, FakeExchange.request(HttpMethod.GET, "/x").clientAddress(""))).isFalse();
  }

  @Test
  void refusesBadConfiguration() {
    assertThatThrownBy(() -> new IpFilterConfig(List.of(), List.of())).hasMessage("needs an allow or a deny list");
    assertThatThrownBy(() -> policy(List.of("10.0.0.0/8", "nope"), List.of()))
        .hasMessage("allow[1]: 'nope' is not an IP address or CIDR range");
  }

  @Test
  void refusesItsRemovedTrustedProxiesSettingWithWhereToGo() {
    assertThatThrownBy(() -> new IpFilterConfig(List.of(), List.of("203.0.113.0/24"), List.of("10.0.0.0/8")))
        .hasMessageStartingWith("trustedProxies: is no longer an ip-filter setting")
        .hasMessageContaining("server.trustedProxies");
  }

  @Test
  void usesOnlyThePluginApi() {
    PluginArchitecture.assertUsesOnlyThePluginApi("io.sluice.gateway.plugin.ipfilter");
  }
}
