// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.headers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.testkit.FakeExchange;
import io.sluice.gateway.testkit.PluginArchitecture;
import io.sluice.gateway.testkit.PolicyHarness;
import io.sluice.gateway.testkit.TestChain;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class HeadersPolicyTest {

  static final PolicyHarness harness = new PolicyHarness();

  @AfterAll
  static void close() {
    harness.close();
  }

  private static Policy policy(HeadersConfig.Operations request, HeadersConfig.Operations response) {
    return new HeadersPolicyFactory().create(new HeadersConfig(request, response), harness.context("headers"));
  }

  private static HeadersConfig.Operations ops(
      List<String> remove, Map<String, String> rename, Map<String, String> set, Map<String, String> add) {
    return new HeadersConfig.Operations(remove, rename, set, add);
  }

  @Test
  void changesRequestHeadersWithTemplates() {
    Policy p = policy(ops(
        List.of("X-Secret"),
        Map.of("X-Old", "X-New"),
        Map.of("X-Route", "${route.id}", "X-Item", "item-${path.id}", "X-Who", "${consumer.id}/${consumer.tag.plan}",
            "X-Page", "${query.page}", "X-Copy", "${header.X-Source}"),
        Map.of("X-Trace", "gw:${request.id}")), null);
    FakeExchange exchange = FakeExchange.request(HttpMethod.GET, "/items/42?page=3")
        .routeId("items").pathParam("id", "42")
        .header("X-Secret", "s").header("X-Old", "a").header("X-Old", "b").header("X-Source", "src")
        .header("X-Trace", "client");
    exchange.consumer(new Consumer("alice", Set.of(), Set.of(), Map.of("plan", "gold")));
    TestChain chain = TestChain.upstreamOk(exchange);
    harness.apply(p, exchange, chain);

    MultiMap h = exchange.request().headers();
    assertThat(chain.proceeded()).isEqualTo(1);
    assertThat(h.contains("X-Secret")).isFalse();
    assertThat(h.contains("X-Old")).isFalse();
    assertThat(h.getAll("X-New")).containsExactly("a", "b");
    assertThat(h.get("X-Route")).isEqualTo("items");
    assertThat(h.get("X-Item")).isEqualTo("item-42");
    assertThat(h.get("X-Who")).isEqualTo("alice/gold");
    assertThat(h.get("X-Page")).isEqualTo("3");
    assertThat(h.get("X-Copy")).isEqualTo("src");
    assertThat(h.getAll("X-Trace")).containsExactly("client", "gw:test-request-id");
  }

  @Test
  void clientIpIsTheClientTheGatewayResolvedNotTheProxyInFront() {
    Policy p = policy(ops(null, null, Map.of("X-Client", "${client.ip}"), null), null);
    FakeExchange exchange = FakeExchange.request(HttpMethod.GET, "/x")
        .remoteAddress("10.0.0.2").clientAddress("203.0.113.5");
    harness.apply(p, exchange, TestChain.upstreamOk(exchange));
    assertThat(exchange.request().headers().get("X-Client")).isEqualTo("203.0.113.5");
  }

  @Test
  void leavesAHeaderUnsetWhenAVariableHasNoValue() {
    Policy p = policy(ops(null, null, Map.of("X-Consumer", "${consumer.id}"), null), null);
    FakeExchange exchange = FakeExchange.request(HttpMethod.GET, "/x");
    harness.apply(p, exchange, TestChain.upstreamOk(exchange));
    assertThat(exchange.request().headers().contains("X-Consumer")).isFalse();
  }

  @Test
  void changesResponseHeadersOnTheWayBack() {
    Policy p = policy(null, ops(List.of("Server"), null, Map.of("X-Served-By", "sluice/${route.id}"), null));
    FakeExchange exchange = FakeExchange.request(HttpMethod.GET, "/x");
    TestChain chain = TestChain.upstream(exchange, 200, MultiMap.caseInsensitiveMultiMap().add("Server", "nginx/1.2"));
    harness.apply(p, exchange, chain);
    assertThat(exchange.response().headers().contains("Server")).isFalse();
    assertThat(exchange.response().headers().get("X-Served-By")).isEqualTo("sluice/test-route");
  }

  @Test
  void refusesBadConfigurationWithThePath() {
    assertThatThrownBy(() -> policy(ops(null, null, Map.of("X-A", "${nope}"), null), null))
        .hasMessageStartingWith("request.set.X-A: '${nope}' uses unknown variable ${nope}");
    assertThatThrownBy(() -> policy(ops(null, null, null, Map.of("X_A", "v")), null))
        .hasMessageStartingWith("request.add: 'X_A' is not a valid header name");
    assertThatThrownBy(() -> policy(null, ops(null, null, Map.of("X-A", "${route.id"), null)))
        .hasMessageStartingWith("response.set.X-A: '${route.id' has an unclosed '${'");
    assertThatThrownBy(() -> policy(null, null)).hasMessageContaining("changes no header");
  }

  @Test
  void usesOnlyThePluginApi() {
    PluginArchitecture.assertUsesOnlyThePluginApi("io.sluice.gateway.plugin.headers");
  }
}
