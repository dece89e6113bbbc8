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
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 5861 §3 through a running gateway: a stale entry within {@code stale-while-revalidate} answers at once while
 * one background revalidation per key goes through the route's upstream ({@code PolicyContext.upstream()}). The
 * origin counts its requests and holds the revalidation until the test answers it; staleness comes from the
 * origin's {@code Age}, never from waiting.
 */
class CacheBackgroundRevalidationIT {

  @TempDir static Path dir;
  static ScriptedBackend origin;
  static ScriptedBackend flaky;
  static GatewayHarness gateway;

  @BeforeAll
  static void start() {
    origin = new ScriptedBackend();
    flaky = new ScriptedBackend();
    gateway = GatewayHarness.start(dir, """
        upstreams:
          flaky:
            targets: [ "%2$s" ]
            retries: { attempts: 0 }
            outlierDetection: { consecutiveFailures: 0 }
        routes:
          - id: flaky
            path: /flaky/**
            upstream: flaky
            policies: [ { type: cache, config: { purge: { ruleRetention: 2h } } } ]
          - id: api
            path: /**
            upstream: %1$s
            policies: [ { type: cache } ]
        """.formatted(origin.url(), flaky.url()));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    origin.close();
    flaky.close();
  }

  private static Reply get(String uri) {
    return gateway.send(HttpMethod.GET, uri, MultiMap.caseInsensitiveMultiMap(), null);
  }

  private static String status(Reply r) {
    return String.join(", ", r.headers().getAll("Cache-Status"));
  }

  private static final String STALE = "sluice; hit; ttl=-\\d+; detail=stale-while-revalidate";

  /** The origin answers the first (unconditional) request with a stale-on-arrival entry, and holds the others. */
  private static List<HttpServerRequest> staleThenHold(ScriptedBackend backend, String path, String cacheControl) {
    List<HttpServerRequest> held = new ArrayList<>();
    backend.on(path, req -> {
      if (req.getHeader("If-None-Match") == null) {
        respond(req, 200, "old", "ETag", "\"v1\"", "Cache-Control", cacheControl, "Age", "10", "X-Version", "1");
      } else {
        synchronized (held) {
          held.add(req);
        }
      }
    });
    return held;
  }

  private static HttpServerRequest first(List<HttpServerRequest> held) {
    synchronized (held) {
      return held.get(0);
    }
  }

  @Test
  void answersStaleAtOnceWhileTheBackendStillHoldsTheRevalidationThenMergesIts304() {
    List<HttpServerRequest> held = staleThenHold(origin, "/held", "max-age=1, stale-while-revalidate=600");
    get("/held");
    Reply stale = get("/held");
    // The client has its answer while the origin has not answered the revalidation (it is still held).
    assertThat(stale.body()).isEqualTo("old");
    assertThat(status(stale)).matches(STALE);
    await().atMost(Duration.ofSeconds(10)).until(() -> origin.hits("/held") == 2);
    HttpServerRequest revalidation = first(held);
    assertThat(revalidation.getHeader("If-None-Match")).isEqualTo("\"v1\"");
    assertThat(revalidation.response().ended()).isFalse();
    assertThat(get("/held").body()).as("still stale meanwhile, and no second revalidation").isEqualTo("old");
    assertThat(origin.hits("/held")).isEqualTo(2);

    // §4.3.4: the 304's headers are merged into the stored entry, and its age starts again
    revalidation.response().setStatusCode(304).putHeader("ETag", "\"v1\"").putHeader("Cache-Control", "max-age=60")
        .putHeader("X-Version", "2").end();
    await().atMost(Duration.ofSeconds(10)).until(() -> status(get("/held")).matches("sluice; hit; ttl=\\d+"));
    Reply fresh = get("/held");
    assertThat(fresh.body()).isEqualTo("old");
    assertThat(fresh.headers().get("X-Version")).isEqualTo("2");
    assertThat(fresh.headers().get("Cache-Control")).isEqualTo("max-age=60");
    assertThat(Integer.parseInt(fresh.headers().get("Age"))).as("reset by the 304 (was 10)").isLessThan(10);
    assertThat(origin.hits("/held")).isEqualTo(2);
  }

  @Test
  void aBackground304ThatSetsACookieIsNotMergedIntoTheStoredEntry() {
    List<HttpServerRequest> held = staleThenHold(origin, "/held-cookie", "max-age=1, stale-while-revalidate=600");
    get("/held-cookie");
    assertThat(status(get("/held-cookie"))).matches(STALE);
    await().atMost(Duration.ofSeconds(10)).until(() -> origin.hits("/held-cookie") == 2);
    first(held).response().setStatusCode(304).putHeader("ETag", "\"v1\"").putHeader("Cache-Control", "max-age=60")
        .putHeader("Set-Cookie", "sid=A").end();
    // The revalidation is over once a stale request starts another one; the entry was never refreshed by it.
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      Reply r = get("/held-cookie");
      assertThat(r.headers().get("Set-Cookie")).as("another client's cookie").isNull();
      assertThat(status(r)).as("not a hit of a merged entry").matches(STALE);
      return origin.hits("/held-cookie") == 3;
    });
  }

  @Test
  void manyConcurrentStaleRequestsMakeOneRevalidation() {
    List<HttpServerRequest> held = staleThenHold(origin, "/many", "max-age=1, stale-while-revalidate=600");
    get("/many");
    Vertx vertx = Vertx.vertx();
    try {
      HttpClient client = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(50));
      List<Future<String>> replies = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        replies.add(client.request(HttpMethod.GET, gateway.port(), "127.0.0.1", "/many")
            .compose(r -> r.send())
            .compose(r -> r.body().map(b -> r.getHeader("Cache-Status") + "|" + b)));
      }
      List<String> all = Future.all(replies).map(c -> c.<String>list()).await();
      assertThat(all).allMatch(s -> s.matches(STALE + "\\|old"));
      await().atMost(Duration.ofSeconds(10)).until(() -> origin.hits("/many") == 2);
      first(held).response().setStatusCode(304).putHeader("ETag", "\"v1\"").putHeader("Cache-Control", "max-age=60")
          .end();
      await().atMost(Duration.ofSeconds(10)).until(() -> status(get("/many")).matches("sluice; hit; ttl=\\d+"));
      assertThat(origin.hits("/many")).as("the first fill and one revalidation").isEqualTo(2);
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void aFullResponseToTheRevalidationReplacesTheEntry() {
    origin.on("/replaced", req -> {
      if (req.getHeader("If-None-Match") == null) {
        respond(req, 200, "old", "ETag", "\"v1\"", "Cache-Control", "max-age=1, stale-while-revalidate=600",
            "Age", "10");
      } else {
        respond(req, 200, "new", "ETag", "\"v2\"", "Cache-Control", "max-age=60");
      }
    });
    get("/replaced");
    assertThat(get("/replaced").body()).isEqualTo("old");
    await().atMost(Duration.ofSeconds(10)).until(() -> get("/replaced").body().equals("new"));
    Reply hit = get("/replaced");
    assertThat(status(hit)).matches("sluice; hit; ttl=\\d+");
    assertThat(hit.headers().get("ETag")).isEqualTo("\"v2\"");
    assertThat(origin.hits("/replaced")).isEqualTo(2);
  }

  @Test
  void anUpstreamErrorOrResetKeepsTheStaleEntry() {
    for (String kind : List.of("503", "reset")) {
      String path = "/flaky/" + kind;
      flaky.on(path, req -> {
        if (req.getHeader("If-None-Match") == null) {
          respond(req, 200, "old", "ETag", "\"v1\"", "Cache-Control", "max-age=1, stale-while-revalidate=600",
              "Age", "10");
        } else if (kind.equals("503")) {
          respond(req, 503, "down");
        } else {
          req.connection().close();
        }
      });
      get(path);
      Reply stale = get(path);
      assertThat(stale.body()).isEqualTo("old");
      await().atMost(Duration.ofSeconds(10)).until(() -> flaky.hits(path) == 2);
      // A second revalidation can only start once the first one failed; the entry it kept answers meanwhile.
      // Each poll's request may start the next revalidation before the count is read, so the count is a floor.
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        Reply r = get(path);
        assertThat(r.body()).as(kind).isEqualTo("old");
        assertThat(status(r)).as(kind).matches(STALE);
        return flaky.hits(path) >= 3;
      });
    }
  }

  @Test
  void pastTheWindowTheRequestRevalidatesAndWaits() {
    List<HttpServerRequest> held = staleThenHold(origin, "/past", "max-age=1, stale-while-revalidate=2");
    get("/past");
    CompletableFuture<Reply> waiting = CompletableFuture.supplyAsync(() -> get("/past"));
    await().atMost(Duration.ofSeconds(10)).until(() -> origin.hits("/past") == 2);
    assertThat(waiting.isDone()).as("the request waits for the upstream").isFalse();
    first(held).response().setStatusCode(304).putHeader("ETag", "\"v1\"").putHeader("Cache-Control", "max-age=60")
        .end();
    assertThat(status(waiting.join())).isEqualTo("sluice; fwd=stale; fwd-status=304; stored");
  }

  @Test
  void mustRevalidateDisablesIt() {
    List<HttpServerRequest> held =
        staleThenHold(origin, "/strict", "max-age=1, stale-while-revalidate=600, must-revalidate");
    get("/strict");
    CompletableFuture<Reply> waiting = CompletableFuture.supplyAsync(() -> get("/strict"));
    await().atMost(Duration.ofSeconds(10)).until(() -> origin.hits("/strict") == 2);
    assertThat(waiting.isDone()).isFalse();
    first(held).response().setStatusCode(304).putHeader("ETag", "\"v1\"").end();
    Reply r = waiting.join();
    assertThat(r.body()).isEqualTo("old");
    assertThat(status(r)).startsWith("sluice; fwd=stale; fwd-status=304");
  }
}
