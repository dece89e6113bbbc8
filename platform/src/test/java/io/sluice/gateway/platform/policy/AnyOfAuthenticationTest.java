// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.api.AttributeKey;
import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.Rejection;
import io.sluice.gateway.api.Stage;
import io.sluice.gateway.api.auth.MissingCredentials;
import io.sluice.gateway.testkit.FakeExchange;
import io.sluice.gateway.testkit.TestChain;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnyOfAuthenticationTest {

  private static Policy refusing(String key, String challenge) {
    return (exchange, chain) -> exchange.reject(Rejection.of(401, key).header("WWW-Authenticate", challenge));
  }

  /** Refuses a request that carries none of its credentials, with the typed mark. */
  private static Policy missing(String key, String challenge) {
    return (exchange, chain) -> MissingCredentials.reject(exchange,
        Rejection.of(401, key).header("WWW-Authenticate", challenge));
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
    FakeExchange refused = run(any(null, missing("A_MISSING", "A realm=\"x\""), missing("B_MISSING", "B")), chain);
    assertThat(refused.rejection().key()).isEqualTo("AUTH_MISSING");
    assertThat(refused.rejection().headers().getAll("WWW-Authenticate")).containsExactly("A realm=\"x\"", "B");
    assertThat(chain[0].proceeded()).isZero();

    FakeExchange anonymous = run(any(Consumer.of("guest"), missing("A_MISSING", "A")), chain);
    assertThat(anonymous.consumer().id()).isEqualTo("guest");
    assertThat(chain[0].proceeded()).isEqualTo(1);
  }

  @Test
  void wrongCredentialsAreRefusedEvenWithAnAnonymousConsumer() {
    TestChain[] chain = new TestChain[1];
    FakeExchange exchange = run(any(Consumer.of("guest"), missing("A_MISSING", "A"), refusing("B_INVALID", "B")), chain);
    assertThat(exchange.rejection().key()).isEqualTo("B_INVALID");
    assertThat(exchange.rejection().headers().getAll("WWW-Authenticate")).containsExactly("B", "A");
    assertThat(exchange.consumer()).isNull();
    assertThat(chain[0].proceeded()).isZero();
  }

  @Test
  void onlyTheTypedMarkFallsBackToAnonymousNotAKeySuffix() {
    TestChain[] chain = new TestChain[1];
    // A third-party key for a present but bad credential that happens to end in _MISSING.
    FakeExchange exchange = run(any(Consumer.of("guest"), missing("A_MISSING", "A"), refusing("SIGNATURE_MISSING", "S")),
        chain);
    assertThat(exchange.rejection().key()).isEqualTo("SIGNATURE_MISSING");
    assertThat(exchange.consumer()).isNull();
    assertThat(chain[0].proceeded()).isZero();
  }

  @Test
  void attributesOfARefusingTrialNeverReachTheExchangeAndTheWinnersDo() {
    AttributeKey<String> note = AttributeKey.of("test.note", String.class);
    Policy putsThenRefuses = (exchange, chain) -> {
      exchange.put(note, "from the loser");
      assertThat(exchange.get(note)).isEqualTo("from the loser");
      return exchange.reject(Rejection.of(401, "X_INVALID"));
    };
    Policy putsThenProceeds = (exchange, chain) -> {
      assertThat(exchange.get(note)).as("the loser's value is gone").isNull();
      exchange.put(note, "from the winner");
      exchange.consumer(Consumer.of("bob"));
      return chain.proceed();
    };
    TestChain[] chain = new TestChain[1];
    FakeExchange lost = run(any(null, putsThenRefuses, missing("B_MISSING", "B")), chain);
    assertThat(lost.get(note)).isNull();
    assertThat(lost.get(MissingCredentials.KEY)).as("the mark is about a trial, not the exchange").isNull();
    FakeExchange won = run(any(null, putsThenRefuses, putsThenProceeds), chain);
    assertThat(won.get(note)).isEqualTo("from the winner");
    assertThat(won.consumer().id()).isEqualTo("bob");
  }

  @Test
  void closingTheGroupClosesTheGroupedPoliciesThatHoldResources() throws Exception {
    java.util.concurrent.atomic.AtomicInteger closed = new java.util.concurrent.atomic.AtomicInteger();
    final class Closing implements Policy, AutoCloseable {
      @Override
      public io.vertx.core.Future<Void> apply(io.sluice.gateway.api.Exchange exchange, Chain chain) {
        return chain.proceed();
      }

      @Override
      public void close() {
        closed.incrementAndGet();
      }
    }
    Policy group = any(null, new Closing(), accepting("a"), new Closing());
    assertThat(group).isInstanceOf(AutoCloseable.class);
    ((AutoCloseable) group).close();
    assertThat(closed).hasValue(2);
  }

  @Test
  void aChainWithoutAuthenticationPoliciesIsLeftAsItIs() {
    List<ChainEntry> entries = List.of(new ChainEntry("screen", Stage.SCREEN, "test", (e, c) -> c.proceed()));
    assertThat(AnyOfAuthentication.group(entries, null)).isSameAs(entries);
  }
}
