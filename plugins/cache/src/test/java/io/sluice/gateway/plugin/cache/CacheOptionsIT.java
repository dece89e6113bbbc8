// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.cache;

import static io.sluice.gateway.plugin.cache.OriginReplies.respond;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.gateway.testkit.GatewayHarness;
import io.sluice.gateway.testkit.GatewayHarness.Reply;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The route options of {@code cache} (TTL clamps, {@code keyHost}, {@code collapseWait}, {@code keyConsumer})
 * through a running gateway with a real origin that counts its requests; each route is paired with a default one
 * where the option makes the difference. Staleness comes from the origin's {@code Age}, never from waiting.
 */
class CacheOptionsIT {

  @TempDir static Path dir;
  static ScriptedBackend origin;
  static GatewayHarness gateway;

  @BeforeAll
  static void start() {
    origin = new ScriptedBackend();
    gateway = GatewayHarness.start(dir, """
        consumers:
          - id: alice
            credentials: { key-auth: [ { key: alice-key } ] }
          - id: bob
            credentials: { key-auth: [ { key: bob-key } ] }
        routes:
          - id: max-ttl
            path: /max-ttl/**
            upstream: %1$s
            policies: [ { type: cache, config: { maxTtl: 2s } } ]
          - id: min-ttl
            path: /min-ttl/**
            upstream: %1$s
            policies: [ { type: cache, config: { minTtl: 1m } } ]
          - id: any-host
            path: /any-host/**
            upstream: %1$s
            policies: [ { type: cache, config: { keyHost: false } } ]
          - id: short-wait
            path: /short-wait/**
            upstream: %1$s
            policies: [ { type: cache, config: { collapseWait: 200ms } } ]
          - id: by-key
            path: /by-key/**
            upstream: %1$s
            policies: [ { type: key-auth }, { type: cache } ]
          - id: per-consumer
            path: /per-consumer/**
            upstream: %1$s
            policies: [ { type: key-auth }, { type: cache, config: { keyConsumer: true } } ]
          - id: plain
            path: /**
            upstream: %1$s
            policies: [ { type: cache } ]
        """.formatted(origin.url()));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    origin.close();
  }

  private static Reply get(String uri, String... headers) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < headers.length; i += 2) {
      h.add(headers[i], headers[i + 1]);
    }
    return gateway.send(HttpMethod.GET, uri, h, null);
  }

  private static String status(Reply r) {
    return String.join(", ", r.headers().getAll("Cache-Status"));
  }

  @Test
  void maxTtlShortensTheOriginsLifetime() {
    // max-age=600 at Age 5 is fresh, unless maxTtl (2s) clamps the lifetime below the age
    origin.on("/long", req -> respond(req, 200, "x", "Cache-Control", "max-age=600", "Age", "5"));
    origin.on("/max-ttl/long", req -> respond(req, 200, "x", "Cache-Control", "max-age=600", "Age", "5"));
    get("/long");
    assertThat(status(get("/long"))).startsWith("sluice; hit");
    get("/max-ttl/long");
    Reply clamped = get("/max-ttl/long");
    assertThat(clamped.body()).isEqualTo("x");
    assertThat(status(clamped)).startsWith("sluice; fwd=stale");
    assertThat(origin.hits("/long")).isEqualTo(1);
    assertThat(origin.hits("/max-ttl/long")).isEqualTo(2);
  }

  @Test
  void minTtlLengthensTheOriginsLifetime() {
    // max-age=0 is stale at once (no validators: fetched again), unless minTtl (1m) gives it a lifetime
    origin.on("/zero", req -> respond(req, 200, "z", "Cache-Control", "max-age=0"));
    origin.on("/min-ttl/zero", req -> respond(req, 200, "z", "Cache-Control", "max-age=0"));
    get("/zero");
    assertThat(status(get("/zero"))).startsWith("sluice; fwd=stale");
    get("/min-ttl/zero");
    Reply kept = get("/min-ttl/zero");
    assertThat(kept.body()).isEqualTo("z");
    assertThat(status(kept)).startsWith("sluice; hit; ttl=");
    assertThat(origin.hits("/zero")).isEqualTo(2);
    assertThat(origin.hits("/min-ttl/zero")).isEqualTo(1);
  }

  @Test
  void keyHostSeparatesHostsUnlessTurnedOff() {
    origin.on("/hosted", req -> respond(req, 200, "h", "Cache-Control", "max-age=60"));
    origin.on("/any-host/hosted", req -> respond(req, 200, "h", "Cache-Control", "max-age=60"));
    get("/hosted", "Host", "a.example");
    assertThat(status(get("/hosted", "Host", "b.example"))).as("another host, another entry")
        .startsWith("sluice; fwd=uri-miss");
    assertThat(status(get("/hosted", "Host", "a.example"))).startsWith("sluice; hit");
    assertThat(origin.hits("/hosted")).isEqualTo(2);
    get("/any-host/hosted", "Host", "a.example");
    assertThat(status(get("/any-host/hosted", "Host", "b.example"))).as("keyHost: false, one entry")
        .startsWith("sluice; hit");
    assertThat(origin.hits("/any-host/hosted")).isEqualTo(1);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // a guard against a hang, not a measurement
  void aCollapsedRequestStopsWaitingAndGoesUpstreamItself() {
    // the leader's request is held at the origin; a second miss for the key waits for it at most collapseWait,
    // then makes its own upstream request and is answered while the leader is still held
    List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    origin.on("/short-wait/slow", req -> {
      if (calls.incrementAndGet() == 1) {
        held.add(req);
      } else {
        respond(req, 200, "second", "Cache-Control", "max-age=60");
      }
    });
    Vertx vertx = Vertx.vertx();
    try {
      Future<String> leader = vertx.createHttpClient()
          .request(HttpMethod.GET, gateway.port(), "127.0.0.1", "/short-wait/slow")
          .compose(r -> r.send())
          .compose(r -> r.body().map(b -> r.getHeader("Cache-Status") + "|" + b));
      await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);
      Reply waiter = get("/short-wait/slow");
      assertThat(waiter.status()).isEqualTo(200);
      assertThat(waiter.body()).isEqualTo("second");
      assertThat(status(waiter)).as("not collapsed: it went upstream").isEqualTo("sluice; fwd=uri-miss; stored");
      assertThat(origin.hits("/short-wait/slow")).isEqualTo(2);
      assertThat(leader.isComplete()).as("the leader is still held at the origin").isFalse();
      held.get(0).response().putHeader("Cache-Control", "max-age=60").end("first");
      assertThat(leader.await()).isEqualTo("sluice; fwd=uri-miss; stored|first");
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void consumersDoNotShareAResponseUnlessItIsPublic() {
    // key-auth before the cache: a consumer's response is another consumer's only when it says it may be shared
    origin.on("/by-key/me", req -> respond(req, 200, "for " + req.getHeader("X-Consumer-Id"),
        "Cache-Control", "max-age=60"));
    origin.on("/by-key/everyone", req -> respond(req, 200, "for " + req.getHeader("X-Consumer-Id"),
        "Cache-Control", "public, max-age=60"));
    Reply alice = get("/by-key/me", "X-API-Key", "alice-key");
    assertThat(alice.body()).isEqualTo("for alice");
    assertThat(status(alice)).isEqualTo("sluice; fwd=uri-miss; detail=authorization");
    assertThat(get("/by-key/me", "X-API-Key", "bob-key").body()).isEqualTo("for bob");
    assertThat(get("/by-key/me", "X-API-Key", "alice-key").body()).isEqualTo("for alice");
    assertThat(origin.hits("/by-key/me")).isEqualTo(3);
    get("/by-key/everyone", "X-API-Key", "alice-key");
    Reply shared = get("/by-key/everyone", "X-API-Key", "bob-key");
    assertThat(shared.body()).as("public: the origin said it may be shared").isEqualTo("for alice");
    assertThat(status(shared)).startsWith("sluice; hit");
    assertThat(origin.hits("/by-key/everyone")).isEqualTo(1);
  }

  @Test
  void keyConsumerGivesEachConsumerItsOwnEntries() {
    origin.on("/per-consumer/me", req -> respond(req, 200, "for " + req.getHeader("X-Consumer-Id"),
        "Cache-Control", "max-age=60"));
    assertThat(status(get("/per-consumer/me", "X-API-Key", "alice-key"))).isEqualTo("sluice; fwd=uri-miss; stored");
    Reply bob = get("/per-consumer/me", "X-API-Key", "bob-key");
    assertThat(bob.body()).isEqualTo("for bob");
    assertThat(status(bob)).isEqualTo("sluice; fwd=uri-miss; stored");
    Reply aliceAgain = get("/per-consumer/me", "X-API-Key", "alice-key");
    assertThat(aliceAgain.body()).isEqualTo("for alice");
    assertThat(status(aliceAgain)).startsWith("sluice; hit");
    Reply bobAgain = get("/per-consumer/me", "X-API-Key", "bob-key");
    assertThat(bobAgain.body()).isEqualTo("for bob");
    assertThat(status(bobAgain)).startsWith("sluice; hit");
    assertThat(origin.hits("/per-consumer/me")).isEqualTo(2);
  }
}
