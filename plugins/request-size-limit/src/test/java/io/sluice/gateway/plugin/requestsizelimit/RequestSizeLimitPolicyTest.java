// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.requestsizelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.config.ByteSize;
import io.sluice.gateway.testkit.FakeExchange;
import io.sluice.gateway.testkit.PluginArchitecture;
import io.sluice.gateway.testkit.PolicyHarness;
import io.sluice.gateway.testkit.TestChain;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class RequestSizeLimitPolicyTest {

  static final PolicyHarness harness = new PolicyHarness();
  final Policy policy = new RequestSizeLimitPolicyFactory()
      .create(new RequestSizeLimitConfig(ByteSize.ofBytes(10)), harness.context("request-size-limit"));

  @AfterAll
  static void close() {
    harness.close();
  }

  @Test
  void refusesADeclaredOversizeBodyWithoutProceeding() {
    FakeExchange exchange = FakeExchange.request(HttpMethod.POST, "/upload").body("x".repeat(11), 11);
    TestChain chain = TestChain.upstreamOk(exchange);
    harness.apply(policy, exchange, chain);
    assertThat(chain.proceeded()).isZero();
    assertThat(exchange.rejection().status()).isEqualTo(413);
    assertThat(exchange.rejection().key()).isEqualTo("BODY_TOO_LARGE");
  }

  @Test
  void capsBodiesOfUnknownLengthAndLetsThemThrough() {
    FakeExchange exchange = FakeExchange.request(HttpMethod.POST, "/upload").body("chunked", -1);
    TestChain chain = TestChain.upstreamOk(exchange);
    harness.apply(policy, exchange, chain);
    assertThat(chain.proceeded()).isEqualTo(1);
    assertThat(exchange.rejection()).isNull();
    assertThat(exchange.request().body().limit()).isEqualTo(10);
  }

  @Test
  void letsSmallBodiesThrough() {
    FakeExchange exchange = FakeExchange.request(HttpMethod.POST, "/upload").body("0123456789", 10);
    TestChain chain = TestChain.upstreamOk(exchange);
    harness.apply(policy, exchange, chain);
    assertThat(chain.proceeded()).isEqualTo(1);
  }

  @Test
  void usesOnlyThePluginApi() {
    PluginArchitecture.assertUsesOnlyThePluginApi("io.sluice.gateway.plugin.requestsizelimit");
  }
}
