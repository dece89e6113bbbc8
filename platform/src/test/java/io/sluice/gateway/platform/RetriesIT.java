// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.gateway.platform.TestClient.Reply;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retries against backends that fail in each way a retry is (or is not) allowed to hide. */
class RetriesIT {

  @TempDir Path dir;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /** A backend recording the request ids it saw, then handing the request to {@code answer}. */
  private TestBackend recording(Set<String> ids, io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> answer) {
    return TestBackend.start(vertx, r -> {
      ids.add(r.getHeader("X-Request-Id"));
      answer.handle(r);
    });
  }

  @Test
  void aGetThatFailsOnOneTargetIsAnsweredByAnother() throws Exception {
    try (TestBackend unavailable = TestBackend.start(vertx, r -> r.response().setStatusCode(503).end("busy"));
        TestBackend resetting = TestBackend.start(vertx, r -> r.connection().close());
        TestBackend ok = TestBackend.named(vertx, "ok");
        TestGateway gw = TestGateway.start(dir, TestGateway.pool("""
            outlierDetection: { consecutiveFailures: 0 }
            retries: { attempts: 2, backoff: 0ms }
            """, unavailable, resetting, ok));
        TestClient client = new TestClient(vertx)) {
      for (int i = 0; i < 12; i++) {
        Reply r = client.get(gw.port(), "/x");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("ok");
      }
      assertThat(unavailable.hits()).isPositive();
      assertThat(resetting.hits()).isPositive();
      List<String> log = gw.accessLogLines();
      assertThat(log).anyMatch(line -> new JsonObject(line).getInteger("retries", 0) == 2);
    }
  }

  @Test
  void aPostThatReachedTheUpstreamIsNotRetried() throws Exception {
    Set<String> sawA = ConcurrentHashMap.newKeySet();
    Set<String> sawB = ConcurrentHashMap.newKeySet();
    try (TestBackend a = recording(sawA, r -> r.body().onComplete(b -> r.connection().close()));
        TestBackend b = recording(sawB, r -> r.body().onSuccess(body -> r.response().end("b")));
        TestGateway gw = TestGateway.start(dir, TestGateway.pool("retries: { backoff: 0ms }", a, b));
        TestClient client = new TestClient(vertx)) {
      int failed = 0;
      for (int i = 0; i < 6; i++) {
        String id = "post-" + i + "-0123456789";
        Reply r = client.send(HttpMethod.POST, gw.port(), "/orders",
            MultiMap.caseInsensitiveMultiMap().add("X-Request-Id", id), Buffer.buffer("{\"n\":" + i + "}"));
        if (sawA.contains(id)) {
          failed++;
          assertThat(r.status()).isEqualTo(502);
          assertThat(r.key()).isEqualTo("UPSTREAM_UNAVAILABLE");
          assertThat(sawB).doesNotContain(id);
        } else {
          assertThat(r.body()).isEqualTo("b");
        }
      }
      assertThat(failed).isEqualTo(3);
    }
  }

  @Test
  void aConnectFailureIsRetriedForAnyMethodWithTheBodyIntact() throws Exception {
    TestBackend gone = TestBackend.named(vertx, "gone");
    String goneUrl = gone.url();
    gone.close();
    try (TestBackend echo = TestBackend.start(vertx, r -> r.body().onSuccess(body -> r.response().end("got " + body)));
        TestGateway gw = TestGateway.start(dir, """
            upstreams:
              pool:
                targets: ["%s", "%s"]
                retries: { backoff: 0ms }
            routes:
              - { id: r, path: "/**", upstream: pool }
            """.formatted(goneUrl, echo.url()));
        TestClient client = new TestClient(vertx)) {
      for (int i = 0; i < 4; i++) {
        Reply r = client.send(HttpMethod.POST, gw.port(), "/orders", MultiMap.caseInsensitiveMultiMap(),
            Buffer.buffer("order " + i));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("got order " + i);
      }
    }
  }

  @Test
  void aPutBodyIsReplayedToTheNextTarget() throws Exception {
    String body = "x".repeat(20_000);
    try (TestBackend unavailable = TestBackend.start(vertx,
            r -> r.body().onSuccess(b -> r.response().setStatusCode(502).end()));
        TestBackend echo = TestBackend.start(vertx, r -> r.body().onSuccess(b -> r.response().end(b.length() + ":" + b.toString().equals(body))));
        TestGateway gw = TestGateway.start(dir, TestGateway.pool("retries: { backoff: 0ms }", unavailable, echo));
        TestClient client = new TestClient(vertx)) {
      for (int i = 0; i < 4; i++) {
        Reply r = client.send(HttpMethod.PUT, gw.port(), "/doc", MultiMap.caseInsensitiveMultiMap(), Buffer.buffer(body));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("20000:true");
      }
      assertThat(unavailable.hits()).isPositive();
    }
  }

  @Test
  void whenEveryAttemptFailsTheClientGetsTheLastUpstreamAnswer() throws Exception {
    try (TestBackend a = TestBackend.start(vertx, r -> r.response().setStatusCode(503).putHeader("X-From", "a").end("a down"));
        TestBackend b = TestBackend.start(vertx, r -> r.response().setStatusCode(503).putHeader("X-From", "b").end("b down"));
        TestGateway gw = TestGateway.start(dir, TestGateway.pool("""
            outlierDetection: { consecutiveFailures: 0 }
            retries: { backoff: 0ms }
            """, a, b));
        TestClient client = new TestClient(vertx)) {
      Reply r = client.get(gw.port(), "/x");
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.body()).isIn("a down", "b down");
      assertThat(a.hits() + b.hits()).isEqualTo(2);
    }
  }

  /**
   * The budget counts in one-second buckets of {@code System.nanoTime()} (the gateway's clock, read here too).
   * When the run fits in one 10-second window, every request so far is in the window at every retry, so the
   * arithmetic is exact: retries stop at {@code 10 + 10% of 300 = 40}. A run slow enough to span more buckets
   * is checked against the bound per window instead.
   */
  @Test
  void theRetryBudgetHoldsDuringAFullOutage() throws Exception {
    try (TestBackend a = TestBackend.start(vertx, r -> r.response().setStatusCode(503).end());
        TestBackend b = TestBackend.start(vertx, r -> r.response().setStatusCode(503).end());
        TestGateway gw = TestGateway.start(dir, TestGateway.pool("""
            outlierDetection: { consecutiveFailures: 0 }
            retries: { attempts: 3, backoff: 0ms, budgetPercent: 10, minRetriesPerSecond: 1 }
            """, a, b));
        TestClient client = new TestClient(vertx)) {
      int requests = 300;
      long firstSecond = second();
      for (int i = 0; i < requests; i++) {
        assertThat(client.get(gw.port(), "/x").status()).isEqualTo(503);
      }
      JsonObject budget = client.admin(gw, "/admin/upstreams").getJsonArray("upstreams").getJsonObject(0)
          .getJsonObject("retryBudget");
      long seconds = second() - firstSecond + 1;
      int retries = a.hits() + b.hits() - requests;
      assertThat(budget.getLong("retriesRefused")).isPositive();
      // Without a budget: 3 retries per request (900).
      if (seconds <= 10) {
        assertThat(retries).as("10 reserve retries plus 10% of 300 requests").isEqualTo(40);
        assertThat(budget.getLong("requestsLast10s")).isEqualTo(requests);
        assertThat(budget.getLong("retriesLast10s")).isEqualTo(40);
      } else {
        assertThat(retries).as("a slow run over %d one-second buckets", seconds)
            .isBetween(10, (int) ((seconds + 9) / 10) * 40);
      }
    }
  }

  /** The second of {@code System.nanoTime()}, as the retry budget buckets it. */
  private static long second() {
    return Math.floorDiv(System.nanoTime(), 1_000_000_000L);
  }

  @Test
  void a503WithRetryAfterHoldsThatTargetAndTheRequestGoesElsewhere() throws Exception {
    AtomicInteger busyHits = new AtomicInteger();
    try (TestBackend busy = TestBackend.start(vertx, r -> {
          busyHits.incrementAndGet();
          r.response().setStatusCode(503).putHeader("Retry-After", "30").end();
        });
        TestBackend ok = TestBackend.named(vertx, "ok");
        TestGateway gw = TestGateway.start(dir, TestGateway.pool("retries: { backoff: 0ms }", busy, ok));
        TestClient client = new TestClient(vertx)) {
      long start = System.nanoTime();
      for (int i = 0; i < 10; i++) {
        assertThat(client.get(gw.port(), "/x").body()).isEqualTo("ok");
      }
      assertThat(busyHits.get()).isEqualTo(1);
      JsonObject target = client.target(gw, "pool", busy.port());
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + 1;
      // The hold began within the measured span, so what is left of it is known to within that span, however
      // slow the machine (the exact arithmetic is UpstreamTest's, on a driven clock).
      assertThat(target.getBoolean("available")).isFalse();
      assertThat(target.getLong("heldForMs")).isBetween(30_000L - elapsedMs, 30_000L);
    }
  }

  /**
   * With {@code total} shorter than two {@code response} timeouts, the second attempt always waits on the
   * total, so there is never a third: exactly two attempts, one per target, the second no sooner than the first
   * one's timeout, the 504 no sooner than the total. (The second attempt is missed only if the gateway takes
   * over 300 ms to act on the first timeout.)
   */
  @Test
  void timeoutsAreRetriedWhenAskedAndTheTotalTimeoutBoundsTheWhole() throws Exception {
    Queue<Long> arrivals = new ConcurrentLinkedQueue<>();
    CountDownLatch abandoned = new CountDownLatch(2);
    io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> hang = r -> {
      arrivals.add(System.nanoTime());
      r.connection().closeHandler(v -> abandoned.countDown());
    };
    try (TestBackend hanging = TestBackend.start(vertx, hang);
        TestBackend hanging2 = TestBackend.start(vertx, hang);
        TestGateway gw = TestGateway.start(dir, TestGateway.pool("""
            retries: { attempts: 5, on: [timeout], backoff: 0ms }
            timeouts: { response: 400ms, total: 700ms }
            """, hanging, hanging2));
        TestClient client = new TestClient(vertx)) {
      long sent = System.nanoTime();
      Reply r = client.get(gw.port(), "/x");
      long answered = System.nanoTime();
      assertThat(r.status()).isEqualTo(504);
      assertThat(r.key()).isEqualTo("UPSTREAM_TIMEOUT");
      assertThat(r.json().getString("detail")).contains("within 700ms");
      assertThat(hanging.hits()).as("one attempt on each target").isEqualTo(1);
      assertThat(hanging2.hits()).isEqualTo(1);
      List<Long> at = List.copyOf(arrivals);
      assertThat(TimeUnit.NANOSECONDS.toMillis(at.get(1) - sent)).as("the retry waited for the response timeout")
          .isGreaterThanOrEqualTo(400);
      assertThat(TimeUnit.NANOSECONDS.toMillis(answered - sent)).as("the 504 waited for the total")
          .isGreaterThanOrEqualTo(700);
      assertThat(abandoned.await(5, TimeUnit.SECONDS)).as("both upstream requests are abandoned").isTrue();
      await().atMost(Duration.ofSeconds(5)).until(() -> !gw.accessLogLines().isEmpty());
      assertThat(gw.accessLogLines()).singleElement()
          .satisfies(line -> assertThat(new JsonObject(line).getInteger("retries")).isEqualTo(1));
    }
  }

  @Test
  void http2RequestsWithoutALengthAreRetriedAndTheirBodiesStillStream() throws Exception {
    try (TestBackend unavailable = TestBackend.start(vertx, r -> r.body().onSuccess(b -> r.response().setStatusCode(503).end()));
        TestBackend echo = TestBackend.start(vertx, r -> r.body().onSuccess(b -> r.response()
            .end(r.method() + " " + b.length() + " " + r.getHeader("Transfer-Encoding"))));
        TestGateway gw = TestGateway.start(dir, "  http2Cleartext: true", TestGateway.pool("""
            outlierDetection: { consecutiveFailures: 0 }
            retries: { backoff: 0ms }
            """, unavailable, echo));
        TestClient client = new TestClient(vertx, io.vertx.core.http.HttpVersion.HTTP_2)) {
      for (int i = 0; i < 4; i++) {
        Reply r = client.get(gw.port(), "/x");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("GET 0 null");
      }
      // A streamed POST is not replayable: when it lands on the failing target first, the 503 reaches the client.
      java.util.List<Integer> statuses = new java.util.ArrayList<>();
      for (int i = 0; i < 6; i++) {
        Reply post = client.onContext(() -> client.raw()
            .request(new io.vertx.core.http.RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
                .setPort(gw.port()).setURI("/x"))
            .compose(req -> {
              req.setChunked(true);
              req.write("part one, ");
              return req.end("part two").compose(v -> req.response());
            })
            .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.headers(), b.toString()))))
            .await();
        statuses.add(post.status());
        if (post.status() == 200) {
          assertThat(post.body()).isEqualTo("POST 18 chunked");
        }
      }
      assertThat(statuses).contains(503, 200).containsOnly(503, 200);
    }
  }
}
