// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.Rejection;
import io.sluice.gateway.api.Stage;
import io.sluice.gateway.testkit.FakeExchange;
import io.sluice.gateway.testkit.TestChain;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnyOfAuthenticationTest {

  private static Policy refusing(String key, String challenge) {
    return (exchange, chain) -> exchange.reject(Rejection.of(401, key).header("WWW-Authenticate", challenge));
  }

  private static Policy accepting(String id) {
    return (exchange, chain) -> {
      exchange.consumer(Consumer.of(id));
      return chain.proceed();
    };
  }

  /** Sets a consumer, then refuses: the consumer must not leak to the exchange. */
  private static Policy setsThenRefuses() {
    return (exchange, chain) -> {
      exchange.consumer(Consumer.of("half"));
      return exchange.reject(Rejection.of(401, "X_INVALID"));
    };
  }

  private static Policy any(Consumer anonymous, Policy... policies) {
    List<ChainEntry> entries = new java.util.ArrayList<>();
    entries.add(new ChainEntry("screen", Stage.SCREEN, "test", (e, c) -> c.proceed()));
    for (Policy p : policies) {
      entries.add(new ChainEntry("auth", Stage.AUTHENTICATE, "test", p));
    }
    entries.add(new ChainEntry("acl", Stage.AUTHORIZE, "test", (e, c) -> c.proceed()));
    List<ChainEntry> grouped = AnyOfAuthentication.group(entries, anonymous);
    assertThat(grouped).extracting(ChainEntry::type).containsExactly("screen", "authentication", "acl");
    return grouped.get(1).policy();
  }

  private static FakeExchange run(Policy policy, TestChain[] chain) {
    FakeExchange exchange = FakeExchange.request(HttpMethod.GET, "/x");
    chain[0] = TestChain.upstreamOk(exchange);
    policy.apply(exchange, chain[0]).await();
    return exchange;
  }

  @Test
  void theFirstPolicyThatProceedsWinsAndEarlierRefusalsLeaveNoTrace() {
    TestChain[] chain = new TestChain[1];
    FakeExchange exchange = run(any(null, setsThenRefuses(), refusing("A_MISSING", "A"), accepting("bob")), chain);
    assertThat(chain[0].proceeded()).isEqualTo(1);
    assertThat(exchange.rejected()).isFalse();
    assertThat(exchange.consumer().id()).isEqualTo("bob");
  }

  @Test
  void withNoCredentialsAtAllTheAnswerListsEveryChallengeOrUsesTheAnonymousConsumer() {
    TestChain[] chain = new TestChain[1];
    FakeExchange refused = run(any(null, refusing("A_MISSING", "A realm=\"x\""), refusing("B_MISSING", "B")), chain);
    assertThat(refused.rejection().key()).isEqualTo("AUTH_MISSING");
    assertThat(refused.rejection().headers().getAll("WWW-Authenticate")).containsExactly("A realm=\"x\"", "B");
    assertThat(chain[0].proceeded()).isZero();

    FakeExchange anonymous = run(any(Consumer.of("guest"), refusing("A_MISSING", "A")), chain);
    assertThat(anonymous.consumer().id()).isEqualTo("guest");
    assertThat(chain[0].proceeded()).isEqualTo(1);
  }

  @Test
  void wrongCredentialsAreRefusedEvenWithAnAnonymousConsumer() {
    TestChain[] chain = new TestChain[1];
    FakeExchange exchange = run(any(Consumer.of("guest"), refusing("A_MISSING", "A"), refusing("B_INVALID", "B")), chain);
    assertThat(exchange.rejection().key()).isEqualTo("B_INVALID");
    assertThat(exchange.rejection().headers().getAll("WWW-Authenticate")).containsExactly("B", "A");
    assertThat(exchange.consumer()).isNull();
    assertThat(chain[0].proceeded()).isZero();
  }

  @Test
  void aChainWithoutAuthenticationPoliciesIsLeftAsItIs() {
    List<ChainEntry> entries = List.of(new ChainEntry("screen", Stage.SCREEN, "test", (e, c) -> c.proceed()));
    assertThat(AnyOfAuthentication.group(entries, null)).isSameAs(entries);
  }
}
