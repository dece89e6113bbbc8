// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.keyauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.auth.MissingCredentials;
import io.sluice.gateway.api.config.ConfigException;
import io.sluice.gateway.testkit.CapturedLogs;
import io.sluice.gateway.testkit.FakeExchange;
import io.sluice.gateway.testkit.PolicyHarness;
import io.sluice.gateway.testkit.TestChain;
import io.sluice.gateway.testkit.TestConsumers;
import io.vertx.core.http.HttpMethod;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KeyAuthPolicyTest {

  private static final Consumer ALICE = new Consumer("alice", Set.of("gold"), Set.of(), java.util.Map.of());
  private static final Consumer BOB = Consumer.of("bob");

  private final PolicyHarness harness = new PolicyHarness().consumers(TestConsumers.builder()
      .credential(ALICE, "key-auth", new KeyCredential("sha256:" + HexFormat.of().formatHex(KeyCredential.sha256("alice-key")),
          Set.of("orders:read")))
      .credential(BOB, "key-auth", new KeyCredential("bob-plain-key"))
      .build());

  @AfterEach
  void close() {
    harness.close();
  }

  private Policy policy(KeyAuthConfig config) {
    return new KeyAuthPolicyFactory().create(config, harness.context("key-auth"));
  }

  @Test
  void aKeyInTheHeaderAuthenticatesItsConsumerAndIsRemoved() {
    FakeExchange exchange = FakeExchange.request(HttpMethod.GET, "/x").header("X-API-Key", "alice-key");
    TestChain chain = TestChain.upstreamOk(exchange);
    harness.apply(policy(new KeyAuthConfig(null, null, null, null)), exchange, chain);
    assertThat(chain.proceeded()).isEqualTo(1);
    assertThat(exchange.consumer().id()).isEqualTo("alice");
    assertThat(exchange.consumer().scopes()).containsExactly("orders:read");
    assertThat(exchange.request().headers().contains("X-API-Key")).isFalse();
  }

  @Test
  void plainKeysWorkAndTheQueryParameterIsRemovedKeepingTheOthers() {
    FakeExchange exchange = FakeExchange.request(HttpMethod.GET, "/x?a=1&apikey=bob-plain-key&b=2");
    TestChain chain = TestChain.upstreamOk(exchange);
    harness.apply(policy(new KeyAuthConfig(null, "apikey", null, null)), exchange, chain);
    assertThat(chain.proceeded()).isEqualTo(1);
    assertThat(exchange.consumer().id()).isEqualTo("bob");
    assertThat(exchange.request().query()).isEqualTo("a=1&b=2");
  }

  @Test
  void missingAndWrongKeysAreRefusedWithoutReachingTheChain() {
    Policy policy = policy(new KeyAuthConfig("X-Key", null, false, "api"));
    FakeExchange none = FakeExchange.request(HttpMethod.GET, "/x");
    TestChain chain = TestChain.upstreamOk(none);
    harness.apply(policy, none, chain);
    assertThat(none.rejection().key()).isEqualTo("API_KEY_MISSING");
    assertThat(none.rejection().headers().get("WWW-Authenticate")).isEqualTo("ApiKey realm=\"api\"");
    FakeExchange wrong = FakeExchange.request(HttpMethod.GET, "/x").header("X-Key", "alice-kez");
    TestChain wrongChain = TestChain.upstreamOk(wrong);
    harness.apply(policy, wrong, wrongChain);
    assertThat(wrongChain.proceeded()).isZero();
    assertThat(wrong.rejection().status()).isEqualTo(401);
    assertThat(wrong.rejection().key()).isEqualTo("API_KEY_INVALID");
    assertThat(wrong.rejection().message()).doesNotContain("alice-kez");
    assertThat(wrong.request().headers().get("X-Key")).isEqualTo("alice-kez"); // hideCredentials: false
    assertThat(chain.proceeded()).isZero();
  }

  @Test
  void theSameKeyForTwoConsumersIsAConfigurationError() {
    PolicyHarness twice = new PolicyHarness().consumers(TestConsumers.builder()
        .credential(ALICE, "key-auth", new KeyCredential("same"))
        .credential(BOB, "key-auth", new KeyCredential("same"))
        .build());
    try {
      assertThatThrownBy(() -> new KeyAuthPolicyFactory().create(new KeyAuthConfig(null, null, null, null), twice.context("key-auth")))
          .isInstanceOf(ConfigException.class)
          .hasMessage("consumers[bob].credentials.key-auth[0].key: the same key is already alice's");
    } finally {
      twice.close();
    }
  }

  @Test
  void digestsMustBeWellFormed() {
    assertThatThrownBy(() -> new KeyCredential("sha256:abc")).hasMessageContaining("key: a sha256: digest must have 64 hex digits");
    assertThat(new KeyCredential("secret").toString()).doesNotContain("secret");
  }

  @Test
  void aRefusedKeyStaysInTheRequestForTheNextPolicyAndOnlyAnAbsentOneIsMarkedMissing() {
    Policy policy = policy(new KeyAuthConfig("Authorization", "apikey", null, null));
    FakeExchange basic = FakeExchange.request(HttpMethod.GET, "/x?apikey=nope").header("Authorization", "Basic YTpi");
    harness.apply(policy, basic, TestChain.upstreamOk(basic));
    assertThat(basic.rejection().key()).isEqualTo("API_KEY_INVALID");
    assertThat(basic.request().headers().get("Authorization")).as("left for basic-auth").isEqualTo("Basic YTpi");
    assertThat(basic.request().query()).isEqualTo("apikey=nope");
    assertThat(MissingCredentials.marked(basic)).isFalse();
    FakeExchange none = FakeExchange.request(HttpMethod.GET, "/x");
    harness.apply(policy, none, TestChain.upstreamOk(none));
    assertThat(MissingCredentials.marked(none)).isTrue();
  }

  @Test
  void aShortClearKeyIsWarnedOnceByItsPathNeverByItsValue() {
    PolicyHarness weak = new PolicyHarness().consumers(TestConsumers.builder()
        .credential(Consumer.of("weak-ci"), "key-auth", new KeyCredential("s3cr3t"))
        .build());
    try (CapturedLogs logs = CapturedLogs.of("io.sluice.gateway.plugin.keyauth")) {
      new KeyAuthPolicyFactory().create(new KeyAuthConfig(null, null, null, null), weak.context("key-auth"));
      new KeyAuthPolicyFactory().create(new KeyAuthConfig(null, null, null, null), weak.context("key-auth"));
      assertThat(logs.lines()).filteredOn(l -> l.startsWith("consumers[weak-ci].credentials.key-auth[0].key: a clear key of 6"))
          .hasSize(1);
      assertThat(logs.lines()).noneMatch(l -> l.contains("s3cr3t"));
    } finally {
      weak.close();
    }
  }
}
