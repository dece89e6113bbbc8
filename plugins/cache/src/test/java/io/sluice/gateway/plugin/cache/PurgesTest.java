// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testkit.InMemoryClusterServices;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Purge rules: matching, and how a rule made on one node reaches another through the shared store. */
class PurgesTest {

  final Vertx vertx = Vertx.vertx();
  final InMemoryClusterServices cluster = new InMemoryClusterServices();
  final AtomicLong clock = new AtomicLong(1_000_000);

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private static StoredResponse entry(String primary, long requestTime, String... tags) {
    return new StoredResponse(200, requestTime, requestTime, 0, 60_000, 0, -1, -1, List.of(), List.of(), List.of(),
        Buffer.buffer(), primary, List.of(tags));
  }

  @Test
  void rulesMatchByPrefixTagAndUrlOnlyWhatWasRequestedBeforeThem() {
    PurgeRule prefix = new PurgeRule(1, "r", PurgeRule.Kind.PREFIX, "/a/", 5_000);
    assertThat(prefix.matches("r", entry("GET\0h\0/a/b?x=1", 5_000))).isTrue();
    assertThat(prefix.matches("r", entry("GET\0h\0/a/b", 5_001))).as("requested after the purge").isFalse();
    assertThat(prefix.matches("other", entry("GET\0h\0/a/b", 1))).as("another route").isFalse();
    assertThat(prefix.matches("r", entry("GET\0h\0/ab", 1))).isFalse();
    PurgeRule all = new PurgeRule(2, "*", PurgeRule.Kind.TAG, "t", 5_000);
    assertThat(all.matches("any", entry("GET\0\0/x", 1, "s", "t"))).isTrue();
    assertThat(all.matches("any", entry("GET\0\0/x", 1, "tt"))).isFalse();
    PurgeRule url = new PurgeRule(3, "r", PurgeRule.Kind.URL, "GET\0h\0/p", 5_000);
    assertThat(url.matches("r", entry("GET\0h\0/p", 1))).isTrue();
    assertThat(url.matches("r", entry("GET\0h\0/p\0x-tenant:a", 1))).as("a header variant").isTrue();
    assertThat(url.matches("r", entry("GET\0h\0/p?q", 1))).as("another query").isFalse();
    assertThat(url.matches("r", entry("GET\0h\0/pp", 1))).isFalse();
  }

  @Test
  void aRuleMadeOnOneNodeIsInForceThereAtOnceAndOnAnotherAfterItsPoll() {
    Purges a = new Purges(cluster, vertx, clock::get);
    Purges b = new Purges(cluster, vertx, clock::get);
    b.poll().await();
    StoredResponse e = entry("GET\0h\0/docs/1", clock.get() - 10, "x");
    a.add("*", PurgeRule.Kind.PREFIX, "/docs/").await();
    assertThat(a.purged("r", e)).isNotNull();
    assertThat(b.purged("r", e)).as("before b polls").isNull();
    b.poll().await();
    assertThat(b.purged("r", e)).isNotNull();
    a.add("r", PurgeRule.Kind.TAG, "x").await();
    b.poll().await();
    assertThat(b.rules()).hasSize(2);
    Purges late = new Purges(cluster, vertx, clock::get);
    late.poll().await();
    assertThat(late.rules()).as("a node that starts later reads the rules in force").hasSize(2);
    clock.addAndGet(Purges.DEFAULT_RETENTION.toMillis() + 1);
    a.add("r", PurgeRule.Kind.TAG, "y").await();
    assertThat(a.rules()).as("expired rules are dropped").hasSize(1);
  }
}
