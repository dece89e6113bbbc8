// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.basicauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.testkit.CapturedLogs;
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

  @Test
  void anUnknownUserIsCheckedAgainstTheMostExpensiveHash() {
    BasicAuthPolicy policy = policy(Duration.ofSeconds(60));
    var users = BasicAuthPolicyFactory.users(harness.context("basic-auth"));
    long most = users.values().stream().mapToLong(u -> u.hash().cost()).max().orElseThrow();
    assertThat(policy.decoy().cost()).isEqualTo(most);
    // PBKDF2 10k (~4 ms) costs more than bcrypt 4 and argon2 m=64,t=2 here; the first user is not the rule.
    assertThat(policy.decoy()).isInstanceOf(Pbkdf2Hash.class);
  }

  @Test
  void weakHashesAndACostSpreadAreWarnedOnceNamingTheConsumerPathNeverTheSecret() {
    String bcrypt = Hashes.bcrypt("weak-pw");
    PolicyHarness weak = new PolicyHarness().consumers(TestConsumers.builder()
        .credential(Consumer.of("weak-dave"), "basic-auth", new BasicCredential("dave", bcrypt))
        .credential(Consumer.of("weak-erin"), "basic-auth", new BasicCredential("erin", Hashes.pbkdf2("erin-pw")))
        .build());
    try (CapturedLogs logs = CapturedLogs.of("io.sluice.gateway.plugin.basicauth")) {
      BasicAuthConfig config = new BasicAuthConfig(null, null, null, null, 1, null);
      ((AutoCloseable) new BasicAuthPolicyFactory().create(config, weak.context("basic-auth"))).close();
      ((AutoCloseable) new BasicAuthPolicyFactory().create(config, weak.context("basic-auth"))).close();
      assertThat(logs.lines()).filteredOn(l -> l.startsWith("consumers[weak-dave].credentials.basic-auth[0].password"))
          .containsExactly("consumers[weak-dave].credentials.basic-auth[0].password: a weak hash, bcrypt cost 4 is below"
              + " 10; make a stronger one with bin/sluice hash-secret --pbkdf2");
      assertThat(logs.lines()).filteredOn(l -> l.startsWith("consumers[weak-erin]")).hasSize(1)
          .allMatch(l -> l.contains("PBKDF2 with 10000 iterations"));
      assertThat(logs.lines()).filteredOn(l -> l.contains("differ in cost")).hasSize(1);
      assertThat(logs.lines()).noneMatch(l -> l.contains(bcrypt.substring(7)) || l.contains("weak-pw"));
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      weak.close();
    }
  }

  @Test
  void closingThePolicyStopsItsHashThreads() throws Exception {
    java.util.Set<Thread> before = hashThreads();
    BasicAuthPolicy policy = (BasicAuthPolicy) new BasicAuthPolicyFactory()
        .create(new BasicAuthConfig(null, null, null, null, 2, null), harness.context("basic-auth"));
    assertThat(run(policy, Hashes.basic("alice", "wonderland")).consumer().id()).isEqualTo("alice");
    java.util.Set<Thread> mine = hashThreads();
    mine.removeAll(before);
    assertThat(mine).as("the policy's own pool ran the hash").isNotEmpty();
    policy.close();
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> mine.stream().noneMatch(Thread::isAlive));
  }

  private static java.util.Set<Thread> hashThreads() {
    java.util.Set<Thread> out = new java.util.HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("sluice-basic-auth-") && t.isAlive()) {
        out.add(t);
      }
    }
    return out;
  }

  @Test
  void argon2WithAShortSaltOrHashIsRefused() {
    assertThatThrownBy(() -> new BasicCredential("a", "$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaGhhc2hoYXNoaGFzaA"))
        .hasMessageContaining("argon2 salt (>= 8 bytes) or hash (>= 16 bytes) is too short");
  }
}
