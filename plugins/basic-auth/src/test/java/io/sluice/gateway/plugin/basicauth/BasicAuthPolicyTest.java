// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.basicauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.testkit.FakeExchange;
import io.sluice.gateway.testkit.PolicyHarness;
import io.sluice.gateway.testkit.TestChain;
import io.sluice.gateway.testkit.TestConsumers;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BasicAuthPolicyTest {

  private final PolicyHarness harness = new PolicyHarness().consumers(TestConsumers.builder()
      .credential(Consumer.of("alice"), "basic-auth", new BasicCredential("alice", Hashes.pbkdf2("wonderland")))
      .credential(Consumer.of("bob"), "basic-auth", new BasicCredential("bob", Hashes.bcrypt("builder")))
      .credential(Consumer.of("carol"), "basic-auth", new BasicCredential("carol", Hashes.argon2("cäröl-ü")))
      .build());
  private final AtomicLong now = new AtomicLong();

  @AfterEach
  void close() {
    harness.close();
  }

  private BasicAuthPolicy policy(Duration ttl) {
    BasicAuthConfig config = new BasicAuthConfig("shop", null, ttl, 100, 1, null);
    // the factory's users, on an injected clock to step through the cache's lifetime
    return new BasicAuthPolicy(config, BasicAuthPolicyFactory.users(harness.context("basic-auth")),
        harness.vertx().createSharedWorkerExecutor("test-hash", 1), now::get);
  }

  private FakeExchange run(BasicAuthPolicy policy, String authorization) {
    FakeExchange exchange = FakeExchange.request(HttpMethod.GET, "/x");
    if (authorization != null) {
      exchange.header("Authorization", authorization);
    }
    harness.apply(policy, exchange, TestChain.upstreamOk(exchange));
    return exchange;
  }

  @Test
  void eachHashKindAuthenticatesItsConsumerAndTheHeaderIsRemoved() {
    BasicAuthPolicy policy = policy(Duration.ofSeconds(60));
    FakeExchange alice = run(policy, Hashes.basic("alice", "wonderland"));
    assertThat(alice.consumer().id()).isEqualTo("alice");
    assertThat(alice.request().headers().contains("Authorization")).isFalse();
    assertThat(run(policy, Hashes.basic("bob", "builder")).consumer().id()).isEqualTo("bob");
    assertThat(run(policy, Hashes.basic("carol", "cäröl-ü")).consumer().id()).isEqualTo("carol");
  }

  @Test
  void unknownUserAndWrongPasswordGetTheSameAnswer() {
    BasicAuthPolicy policy = policy(Duration.ofSeconds(60));
    FakeExchange wrong = run(policy, Hashes.basic("alice", "nope"));
    FakeExchange unknown = run(policy, Hashes.basic("mallory", "nope"));
    assertThat(wrong.rejection()).isEqualTo(unknown.rejection());
    assertThat(wrong.rejection().key()).isEqualTo("CREDENTIALS_INVALID");
    assertThat(wrong.rejection().headers().get("WWW-Authenticate")).isEqualTo("Basic realm=\"shop\", charset=\"UTF-8\"");
    assertThat(policy.verifications()).isEqualTo(2); // the unknown user paid a hash too
    assertThat(run(policy, null).rejection().key()).isEqualTo("CREDENTIALS_MISSING");
    assertThat(run(policy, "Bearer abc").rejection().key()).isEqualTo("CREDENTIALS_MISSING");
    assertThat(run(policy, "Basic !!!").rejection().key()).isEqualTo("CREDENTIALS_INVALID");
    assertThat(run(policy, "Basic " + java.util.Base64.getEncoder().encodeToString("nocolon".getBytes())).rejection().key())
        .isEqualTo("CREDENTIALS_INVALID");
  }

  @Test
  void verificationsAreCachedForTheirTtlOnly() {
    BasicAuthPolicy policy = policy(Duration.ofSeconds(60));
    run(policy, Hashes.basic("alice", "wonderland"));
    run(policy, Hashes.basic("alice", "wonderland"));
    assertThat(policy.verifications()).isEqualTo(1);
    assertThat(run(policy, Hashes.basic("alice", "wonderlanx")).rejected()).isTrue();
    assertThat(policy.verifications()).isEqualTo(2);
    now.addAndGet(Duration.ofSeconds(61).toNanos());
    assertThat(run(policy, Hashes.basic("alice", "wonderland")).consumer().id()).isEqualTo("alice");
    assertThat(policy.verifications()).isEqualTo(3);
    BasicAuthPolicy uncached = policy(Duration.ZERO);
    run(uncached, Hashes.basic("alice", "wonderland"));
    run(uncached, Hashes.basic("alice", "wonderland"));
    assertThat(uncached.verifications()).isEqualTo(2);
  }

  @Test
  void clearPasswordsAndBadHashesAreRefusedInConfig() {
    assertThatThrownBy(() -> new BasicCredential("alice", "wonderland")).hasMessageStartingWith("password: is not a supported hash");
    assertThatThrownBy(() -> new BasicCredential("a:b", Hashes.pbkdf2("x"))).hasMessageContaining("username: must not contain ':'");
    assertThatThrownBy(() -> new BasicCredential("a", "$pbkdf2-sha256$i=1000$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"))
        .hasMessageContaining("at least 10000 iterations");
    assertThatThrownBy(() -> new BasicCredential("a", "$2b$10$short")).hasMessageContaining("60 characters");
    assertThat(new BasicCredential("a", Hashes.pbkdf2("x")).toString()).doesNotContain("pbkdf2");
  }
}
