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
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 9111 conformance through a running gateway with a real origin that counts its requests. Each test uses
 * its own paths, so one gateway serves them all. Staleness is produced by the origin's {@code Age} (§4.2.3),
 * never by waiting.
 */
class CachePolicyIT {

  @TempDir static Path dir;
  static ScriptedBackend origin;
  static ScriptedBackend fragile;
  static GatewayHarness gateway;

  @BeforeAll
  static void start() {
    origin = new ScriptedBackend();
    fragile = new ScriptedBackend();
    gateway = GatewayHarness.start(dir, """
        routes:
          - id: small
            path: /small/**
            upstream: %1$s
            policies: [ { type: cache, config: { maxObjectSize: 1KB } } ]
          - id: keyed
            path: /keyed/**
            upstream: %1$s
            policies: [ { type: cache, config: { keyQuery: [page], ttl: 1m } } ]
          - id: fragile
            path: /down/**
            upstream: %2$s
            policies: [ { type: cache } ]
          - id: api
            path: /**
            upstream: %1$s
            policies: [ { type: cache, config: { bypassHeader: X-Cache-Bypass } } ]
        """.formatted(origin.url(), fragile.url()));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    origin.close();
    fragile.close();
  }

  private static Reply get(String uri, String... headers) {
    return send(HttpMethod.GET, uri, headers);
  }

  private static Reply send(HttpMethod method, String uri, String... headers) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < headers.length; i += 2) {
      h.add(headers[i], headers[i + 1]);
    }
    return gateway.send(method, uri, h, null);
  }

  private static String status(Reply r) {
    return String.join(", ", r.headers().getAll("Cache-Status"));
  }

  @Test
  void storesAFreshResponseAndAnswersFromItWithAge() {
    origin.on("/fresh", req -> respond(req, 200, "v1", "Cache-Control", "max-age=60"));
    Reply first = get("/fresh");
    Reply second = get("/fresh");
    assertThat(first.body()).isEqualTo("v1");
    assertThat(status(first)).isEqualTo("sluice; fwd=uri-miss; stored");
    assertThat(second.body()).isEqualTo("v1");
    assertThat(second.status()).isEqualTo(200);
    assertThat(status(second)).startsWith("sluice; hit; ttl=");
    assertThat(second.headers().get("Age")).isNotNull();
    assertThat(second.headers().get("Cache-Control")).isEqualTo("max-age=60");
    assertThat(second.headers().get("Date")).as("added when the origin sent none (RFC 9110 §6.6.1)")
        .isEqualTo(first.headers().get("Date")).isNotNull();
    assertThat(origin.hits("/fresh")).isEqualTo(1);
  }

  @Test
  void ageFromUpstreamCountsTowardsFreshness() {
    // §4.2.3: the corrected initial age includes the upstream's Age, and is passed on
    origin.on("/aged", req -> respond(req, 200, "old", "Cache-Control", "max-age=100", "Age", "40"));
    get("/aged");
    Reply hit = get("/aged");
    assertThat(Integer.parseInt(hit.headers().get("Age"))).isBetween(40, 99);
    assertThat(status(hit)).matches("sluice; hit; ttl=(5[0-9]|60)");
    origin.on("/over-age", req -> respond(req, 200, "x", "Cache-Control", "max-age=10", "Age", "20"));
    get("/over-age");
    get("/over-age");
    assertThat(origin.hits("/over-age")).as("stale on arrival, no validators: fetched again").isEqualTo(2);
  }

  @Test
  void noStoreAndPrivateAreNeverStored() {
    origin.on("/no-store", req -> respond(req, 200, "x", "Cache-Control", "no-store, max-age=60"));
    origin.on("/private", req -> respond(req, 200, "x", "Cache-Control", "private, max-age=60"));
    origin.on("/req-no-store", req -> respond(req, 200, "x", "Cache-Control", "max-age=60"));
    for (int i = 0; i < 2; i++) {
      assertThat(status(get("/no-store"))).isEqualTo("sluice; fwd=uri-miss; detail=no-store");
      assertThat(status(get("/private"))).isEqualTo("sluice; fwd=uri-miss; detail=private");
      get("/req-no-store", "Cache-Control", "no-store");
    }
    assertThat(origin.hits("/no-store")).isEqualTo(2);
    assertThat(origin.hits("/private")).isEqualTo(2);
    assertThat(origin.hits("/req-no-store")).isEqualTo(2);
  }

  @Test
  void authorizedResponsesAreSharedOnlyWhenTheyAllowIt() {
    // §3.5: a response to a request with Authorization is stored only with public, s-maxage or must-revalidate
    origin.on("/auth", req -> respond(req, 200, "for " + req.getHeader("Authorization"), "Cache-Control", "max-age=60"));
    origin.on("/auth-public", req -> respond(req, 200, "shared", "Cache-Control", "public, max-age=60"));
    origin.on("/auth-private", req -> respond(req, 200, "for " + req.getHeader("Authorization"),
        "Cache-Control", "private, max-age=60"));
    assertThat(get("/auth", "Authorization", "Bearer alice").body()).isEqualTo("for Bearer alice");
    assertThat(get("/auth", "Authorization", "Bearer bob").body()).isEqualTo("for Bearer bob");
    assertThat(origin.hits("/auth")).isEqualTo(2);
    assertThat(get("/auth-private", "Authorization", "Bearer alice").body()).isEqualTo("for Bearer alice");
    assertThat(get("/auth-private", "Authorization", "Bearer bob").body()).as("no cross-consumer leak")
        .isEqualTo("for Bearer bob");
    assertThat(get("/auth-private").body()).isEqualTo("for null");
    get("/auth-public", "Authorization", "Bearer alice");
    assertThat(get("/auth-public", "Authorization", "Bearer bob").body()).isEqualTo("shared");
    assertThat(origin.hits("/auth-public")).isEqualTo(1);
  }

  @Test
  void sharedMaxAgeWinsOverMaxAge() {
    // §5.2.2.10: s-maxage is the shared cache's lifetime
    origin.on("/smaxage", req -> respond(req, 200, "x", "Cache-Control", "max-age=0, s-maxage=60"));
    get("/smaxage");
    assertThat(status(get("/smaxage"))).startsWith("sluice; hit");
    assertThat(origin.hits("/smaxage")).isEqualTo(1);
  }

  @Test
  void expiresAndDateGiveTheLifetimeAndAnInvalidExpiresIsStale() {
    long now = System.currentTimeMillis();
    origin.on("/expires", req -> respond(req, 200, "x", "Date", HttpDates.format(now),
        "Expires", HttpDates.format(now + 120_000)));
    origin.on("/expires-invalid", req -> respond(req, 200, "x", "Expires", "0"));
    get("/expires");
    assertThat(status(get("/expires"))).startsWith("sluice; hit");
    get("/expires-invalid");
    get("/expires-invalid");
    assertThat(origin.hits("/expires")).isEqualTo(1);
    assertThat(origin.hits("/expires-invalid")).isEqualTo(2);
  }

  @Test
  void heuristicFreshnessOnlyForHeuristicallyCacheableStatuses() {
    // §4.2.2: Last-Modified ten days ago gives a heuristic lifetime to a 200, not to a 302
    String tenDaysAgo = HttpDates.format(System.currentTimeMillis() - 10L * 24 * 3600 * 1000);
    origin.on("/heuristic", req -> respond(req, 200, "x", "Last-Modified", tenDaysAgo));
    origin.on("/found", req -> respond(req, 302, "", "Location", "/elsewhere", "Last-Modified", tenDaysAgo));
    origin.on("/nothing", req -> respond(req, 200, "x"));
    for (int i = 0; i < 2; i++) {
      get("/heuristic");
      get("/found");
      get("/nothing");
    }
    assertThat(origin.hits("/heuristic")).isEqualTo(1);
    assertThat(origin.hits("/found")).isEqualTo(2);
    assertThat(origin.hits("/nothing")).isEqualTo(2);
  }

  @Test
  void revalidatesAStaleEntryAndMergesThe304() {
    // §4.3.1 and §4.3.4: the stale entry's validators go upstream; a 304 updates the stored headers
    AtomicInteger version = new AtomicInteger();
    origin.on("/reval", req -> {
      if ("\"e1\"".equals(req.getHeader("If-None-Match"))) {
        respond(req, 304, "", "ETag", "\"e1\"", "Cache-Control", "max-age=60", "X-Version", "v" + version.incrementAndGet());
      } else {
        respond(req, 200, "body-1", "ETag", "\"e1\"", "Cache-Control", "max-age=10", "Age", "20", "X-Version", "v0");
      }
    });
    assertThat(get("/reval").body()).isEqualTo("body-1");
    Reply revalidated = get("/reval");
    assertThat(origin.lastHeaders("/reval").get("If-None-Match")).isEqualTo("\"e1\"");
    assertThat(revalidated.status()).isEqualTo(200);
    assertThat(revalidated.body()).isEqualTo("body-1");
    assertThat(revalidated.headers().get("X-Version")).isEqualTo("v1");
    assertThat(status(revalidated)).isEqualTo("sluice; fwd=stale; fwd-status=304; stored");
    Reply fresh = get("/reval");
    assertThat(status(fresh)).startsWith("sluice; hit");
    assertThat(fresh.headers().get("X-Version")).isEqualTo("v1");
    assertThat(fresh.body()).isEqualTo("body-1");
    assertThat(origin.hits("/reval")).isEqualTo(2);
  }

  @Test
  void a304ThatSetsACookieIsServedToItsClientButNotStoredForOthers() {
    // A 304 from session middleware carries the revalidating client's cookie: merged into the shared entry, it
    // would hand that session to every later hit. The same storage rules as for a 200 apply to the merge.
    AtomicInteger revalidations = new AtomicInteger();
    origin.on("/reval-cookie", req -> {
      if (!"\"e1\"".equals(req.getHeader("If-None-Match"))) {
        respond(req, 200, "body-1", "ETag", "\"e1\"", "Cache-Control", "max-age=10", "Age", "20");
      } else if (revalidations.incrementAndGet() == 1) {
        respond(req, 304, "", "ETag", "\"e1\"", "Cache-Control", "max-age=60", "Set-Cookie", "sid=A");
      } else {
        respond(req, 304, "", "ETag", "\"e1\"", "Cache-Control", "max-age=60");
      }
    });
    assertThat(get("/reval-cookie").body()).isEqualTo("body-1");
    Reply withCookie = get("/reval-cookie");
    assertThat(withCookie.body()).isEqualTo("body-1");
    assertThat(withCookie.headers().get("Set-Cookie")).as("the revalidating client's own cookie").isEqualTo("sid=A");
    assertThat(status(withCookie)).isEqualTo("sluice; fwd=stale; fwd-status=304");
    Reply next = get("/reval-cookie");
    assertThat(status(next)).as("still stale: the cookie's 304 was not stored")
        .isEqualTo("sluice; fwd=stale; fwd-status=304; stored");
    assertThat(next.headers().get("Set-Cookie")).isNull();
    Reply hit = get("/reval-cookie");
    assertThat(status(hit)).startsWith("sluice; hit");
    assertThat(hit.headers().get("Set-Cookie")).as("another client's session").isNull();
    assertThat(hit.body()).isEqualTo("body-1");
    assertThat(origin.hits("/reval-cookie")).isEqualTo(3);
  }

  @Test
  void revalidatesByLastModifiedAloneAndMergesThe304() {
    // §4.3.1: with no ETag the stale entry's Last-Modified goes upstream as If-Modified-Since; §4.3.4: a 304
    // without an ETag selects the stored response, and its headers are merged
    String lastModified = HttpDates.format(System.currentTimeMillis() - 3600_000);
    origin.on("/reval-lm", req -> {
      if (lastModified.equals(req.getHeader("If-Modified-Since"))) {
        respond(req, 304, "", "Cache-Control", "max-age=60", "X-Version", "v1");
      } else {
        respond(req, 200, "body-lm", "Last-Modified", lastModified, "Cache-Control", "max-age=10", "Age", "20",
            "X-Version", "v0");
      }
    });
    assertThat(get("/reval-lm").body()).isEqualTo("body-lm");
    Reply revalidated = get("/reval-lm");
    assertThat(origin.lastHeaders("/reval-lm").get("If-Modified-Since")).isEqualTo(lastModified);
    assertThat(origin.lastHeaders("/reval-lm").get("If-None-Match")).isNull();
    assertThat(revalidated.status()).isEqualTo(200);
    assertThat(revalidated.body()).isEqualTo("body-lm");
    assertThat(revalidated.headers().get("X-Version")).isEqualTo("v1");
    assertThat(revalidated.headers().get("Last-Modified")).isEqualTo(lastModified);
    assertThat(status(revalidated)).isEqualTo("sluice; fwd=stale; fwd-status=304; stored");
    Reply fresh = get("/reval-lm");
    assertThat(status(fresh)).startsWith("sluice; hit");
    assertThat(fresh.headers().get("X-Version")).isEqualTo("v1");
    assertThat(fresh.body()).isEqualTo("body-lm");
    assertThat(origin.hits("/reval-lm")).isEqualTo(2);
  }

  @Test
  void a304WithAnotherEtagIsNotMergedIntoTheStoredEntry() {
    // §4.3.4: the 304 selects no stored response when its strong validator differs
    origin.on("/reval-other", req -> {
      if (req.getHeader("If-None-Match") != null) {
        respond(req, 304, "", "ETag", "\"e2\"", "Cache-Control", "max-age=60");
      } else {
        respond(req, 200, "body-1", "ETag", "\"e1\"", "Cache-Control", "max-age=10", "Age", "20");
      }
    });
    assertThat(get("/reval-other").body()).isEqualTo("body-1");
    Reply mismatch = get("/reval-other");
    assertThat(origin.lastHeaders("/reval-other").get("If-None-Match")).isEqualTo("\"e1\"");
    assertThat(mismatch.status()).isEqualTo(502);
    assertThat(mismatch.body()).contains("CACHE_VALIDATOR_MISMATCH");
    assertThat(status(mismatch)).isEqualTo("sluice; fwd=stale; fwd-status=304; detail=validator-mismatch");
    Reply refetched = get("/reval-other");
    assertThat(origin.lastHeaders("/reval-other").get("If-None-Match")).as("the entry was dropped").isNull();
    assertThat(status(refetched)).isEqualTo("sluice; fwd=uri-miss; stored");
    assertThat(refetched.headers().get("ETag")).isEqualTo("\"e1\"");
    Reply clientHasIt = get("/reval-other", "If-None-Match", "\"e2\"");
    assertThat(clientHasIt.status()).as("the client's own validator is confirmed").isEqualTo(304);
    assertThat(clientHasIt.headers().get("ETag")).isEqualTo("\"e2\"");
    assertThat(origin.hits("/reval-other")).isEqualTo(4);
  }

  @Test
  void varyStarOnAnyLineIsNeverStored() {
    origin.on("/vary-star-2", req -> respond(req, 200, "x", "Cache-Control", "max-age=60", "Vary", "Accept",
        "Vary", "*"));
    assertThat(status(get("/vary-star-2"))).isEqualTo("sluice; fwd=uri-miss; detail=vary-star");
    get("/vary-star-2");
    assertThat(origin.hits("/vary-star-2")).isEqualTo(2);
  }

  @Test
  void answersClientConditionalsWith304FromTheCache() {
    String lastModified = HttpDates.format(System.currentTimeMillis() - 3600_000);
    origin.on("/cond", req -> respond(req, 200, "body", "ETag", "W/\"t1\"", "Last-Modified", lastModified,
        "Cache-Control", "max-age=60"));
    get("/cond");
    Reply inm = get("/cond", "If-None-Match", "\"t0\", \"t1\"");
    assertThat(inm.status()).isEqualTo(304);
    assertThat(inm.body()).isEmpty();
    assertThat(inm.headers().get("ETag")).isEqualTo("W/\"t1\"");
    assertThat(inm.headers().get("Content-Length")).as("RFC 9110 §8.6").isNull();
    Reply ims = get("/cond", "If-Modified-Since", HttpDates.format(System.currentTimeMillis()));
    assertThat(ims.status()).isEqualTo(304);
    Reply changed = get("/cond", "If-None-Match", "\"other\"");
    assertThat(changed.status()).isEqualTo(200);
    assertThat(changed.body()).isEqualTo("body");
    assertThat(origin.hits("/cond")).isEqualTo(1);
  }

  @Test
  void requestNoCacheAndResponseNoCacheRevalidate() {
    // §5.2.1.4 and §5.2.2.4
    origin.on("/rq-no-cache", req -> respond(req, "\"a\"".equals(req.getHeader("If-None-Match")) ? 304 : 200, "a",
        "ETag", "\"a\"", "Cache-Control", "max-age=60"));
    origin.on("/rs-no-cache", req -> respond(req, "\"b\"".equals(req.getHeader("If-None-Match")) ? 304 : 200, "b",
        "ETag", "\"b\"", "Cache-Control", "no-cache"));
    get("/rq-no-cache");
    Reply forced = get("/rq-no-cache", "Cache-Control", "no-cache");
    assertThat(forced.body()).isEqualTo("a");
    assertThat(status(forced)).isEqualTo("sluice; fwd=request; fwd-status=304; stored");
    Reply pragma = get("/rq-no-cache", "Pragma", "no-cache");
    assertThat(status(pragma)).startsWith("sluice; fwd=request");
    assertThat(origin.hits("/rq-no-cache")).isEqualTo(3);
    get("/rs-no-cache");
    Reply again = get("/rs-no-cache");
    assertThat(again.body()).isEqualTo("b");
    assertThat(status(again)).startsWith("sluice; fwd=stale; fwd-status=304");
    assertThat(origin.hits("/rs-no-cache")).isEqualTo(2);
  }

  @Test
  void requestMaxAgeMinFreshAndMaxStale() {
    // §5.2.1.1, §5.2.1.3, §5.2.1.2
    origin.on("/max-age", req -> respond(req, 200, "x", "Cache-Control", "max-age=600", "Age", "30"));
    get("/max-age");
    assertThat(status(get("/max-age", "Cache-Control", "max-age=10"))).startsWith("sluice; fwd=request");
    assertThat(status(get("/max-age", "Cache-Control", "max-age=300"))).startsWith("sluice; hit");
    assertThat(status(get("/max-age", "Cache-Control", "min-fresh=590"))).startsWith("sluice; fwd=");
    assertThat(status(get("/max-age", "Cache-Control", "min-fresh=60"))).startsWith("sluice; hit");
    origin.on("/stale", req -> respond(req, 200, "s", "Cache-Control", "max-age=10", "Age", "40"));
    origin.on("/stale-must", req -> respond(req, 200, "s", "Cache-Control", "max-age=10, must-revalidate", "Age", "40"));
    get("/stale");
    get("/stale-must");
    assertThat(status(get("/stale", "Cache-Control", "max-stale=5"))).startsWith("sluice; fwd=");
    Reply stale = get("/stale", "Cache-Control", "max-stale=3600");
    assertThat(status(stale)).matches("sluice; hit; ttl=-\\d+; detail=max-stale");
    assertThat(status(get("/stale", "Cache-Control", "max-stale"))).contains("detail=max-stale");
    assertThat(status(get("/stale-must", "Cache-Control", "max-stale"))).as("must-revalidate, §5.2.2.2")
        .startsWith("sluice; fwd=");
  }

  @Test
  void proxyRevalidateRefusesMaxStaleWhereThePlainEntryIsServedStale() {
    // §5.2.2.8: proxy-revalidate binds a shared cache as must-revalidate does: a stale entry is not served under
    // a request's max-stale but revalidated; the same entry without it is served stale. (With an ETag, so that
    // the stale entry is kept at all: one that may neither be served stale nor revalidated is not stored.)
    origin.on("/stale-plain", req -> respond(req, "\"p\"".equals(req.getHeader("If-None-Match")) ? 304 : 200, "s",
        "ETag", "\"p\"", "Cache-Control", "max-age=10", "Age", "40"));
    origin.on("/stale-proxy", req -> respond(req, "\"p\"".equals(req.getHeader("If-None-Match")) ? 304 : 200, "s",
        "ETag", "\"p\"", "Cache-Control", "max-age=10, proxy-revalidate", "Age", "40"));
    get("/stale-plain");
    get("/stale-proxy");
    Reply plain = get("/stale-plain", "Cache-Control", "max-stale=3600");
    assertThat(plain.body()).isEqualTo("s");
    assertThat(status(plain)).matches("sluice; hit; ttl=-\\d+; detail=max-stale");
    assertThat(origin.hits("/stale-plain")).isEqualTo(1);
    Reply strict = get("/stale-proxy", "Cache-Control", "max-stale=3600");
    assertThat(strict.status()).isEqualTo(200);
    assertThat(strict.body()).isEqualTo("s");
    assertThat(origin.lastHeaders("/stale-proxy").get("If-None-Match")).isEqualTo("\"p\"");
    assertThat(status(strict)).startsWith("sluice; fwd=stale; fwd-status=304");
    assertThat(origin.hits("/stale-proxy")).isEqualTo(2);
  }

  @Test
  void onlyIfCachedAnswers504OnAMiss() {
    origin.on("/only", req -> respond(req, 200, "x", "Cache-Control", "max-age=60"));
    Reply miss = get("/only", "Cache-Control", "only-if-cached");
    assertThat(miss.status()).isEqualTo(504);
    assertThat(miss.body()).contains("CACHE_ONLY_IF_CACHED");
    assertThat(status(miss)).contains("detail=only-if-cached");
    assertThat(origin.hits("/only")).isZero();
    get("/only");
    assertThat(get("/only", "Cache-Control", "only-if-cached").status()).isEqualTo(200);
    assertThat(origin.hits("/only")).isEqualTo(1);
  }

  @Test
  void varySelectsVariantsAndVaryStarIsNeverStored() {
    // §4.1
    origin.on("/vary", req -> respond(req, 200, "lang=" + req.getHeader("Accept-Language"),
        "Cache-Control", "max-age=60", "Vary", "Accept-Language"));
    origin.on("/vary-star", req -> respond(req, 200, "x", "Cache-Control", "max-age=60", "Vary", "*"));
    assertThat(get("/vary", "Accept-Language", "en").body()).isEqualTo("lang=en");
    Reply fr = get("/vary", "Accept-Language", "fr");
    assertThat(fr.body()).isEqualTo("lang=fr");
    assertThat(status(fr)).startsWith("sluice; fwd=vary-miss; stored");
    assertThat(get("/vary", "Accept-Language", "en").body()).isEqualTo("lang=en");
    assertThat(get("/vary", "Accept-Language", "fr").body()).isEqualTo("lang=fr");
    assertThat(get("/vary").body()).isEqualTo("lang=null");
    assertThat(origin.hits("/vary")).isEqualTo(3);
    get("/vary-star");
    assertThat(status(get("/vary-star"))).contains("detail=vary-star");
    assertThat(origin.hits("/vary-star")).isEqualTo(2);
  }

  @Test
  void unsafeMethodsInvalidateTheTargetAndTheirLocation() {
    // §4.4
    origin.on("/items", req -> respond(req, req.method() == HttpMethod.POST ? 201 : 200, "list",
        "Cache-Control", "max-age=60", "Location", "/items/7"));
    origin.on("/items/7", req -> respond(req, 200, "item", "Cache-Control", "max-age=60"));
    get("/items");
    get("/items/7");
    assertThat(status(get("/items"))).startsWith("sluice; hit");
    Reply post = send(HttpMethod.POST, "/items");
    assertThat(status(post)).isEqualTo("sluice; fwd=method");
    assertThat(status(get("/items"))).startsWith("sluice; fwd=uri-miss");
    assertThat(status(get("/items/7"))).as("Location of the same origin").startsWith("sluice; fwd=uri-miss");
    assertThat(origin.hits("/items")).isEqualTo(3);
  }

  @Test
  void staleIfErrorServesTheStaleResponseWhenTheUpstreamIsDown() {
    // RFC 5861 §4, with must-revalidate as the exception (§5.2.2.2)
    fragile.on("/down/a", req -> respond(req, 200, "kept", "Cache-Control", "max-age=1, stale-if-error=600", "Age", "5"));
    fragile.on("/down/b", req -> respond(req, 200, "strict",
        "Cache-Control", "max-age=1, stale-if-error=600, must-revalidate", "Age", "5"));
    get("/down/a");
    get("/down/b");
    fragile.stop();
    Reply stale = get("/down/a");
    assertThat(stale.status()).isEqualTo(200);
    assertThat(stale.body()).isEqualTo("kept");
    assertThat(status(stale)).contains("detail=stale-if-error");
    assertThat(get("/down/b").status()).isEqualTo(502);
  }

  @Test
  void staleIfErrorServesTheStaleResponseOnA5xx() {
    AtomicInteger calls = new AtomicInteger();
    origin.on("/flaky", req -> {
      if (calls.incrementAndGet() == 1) {
        respond(req, 200, "good", "Cache-Control", "max-age=1", "Age", "5");
      } else {
        respond(req, 503, "bad");
      }
    });
    get("/flaky");
    assertThat(get("/flaky").body()).as("no stale-if-error: the error goes through").isEqualTo("bad");
    Reply stale = get("/flaky", "Cache-Control", "stale-if-error=600");
    assertThat(stale.body()).isEqualTo("good");
    assertThat(status(stale)).matches("sluice; fwd=stale; fwd-status=503; ttl=-\\d+; detail=stale-if-error");
  }

  @Test
  void collapsesConcurrentMissesIntoOneUpstreamRequest() throws Exception {
    List<HttpServerRequest> held = new ArrayList<>();
    origin.on("/hot", req -> {
      synchronized (held) {
        held.add(req);
      }
    });
    Vertx vertx = Vertx.vertx();
    try {
      HttpClient client = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(100));
      List<Future<String>> replies = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        replies.add(client.request(HttpMethod.GET, gateway.port(), "127.0.0.1", "/hot")
            .compose(r -> r.send())
            .compose(r -> r.body().map(b -> r.getHeader("Cache-Status") + "|" + b)));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> origin.hits("/hot") == 1);
      synchronized (held) {
        held.get(0).response().putHeader("Cache-Control", "max-age=60").end("hot");
      }
      List<String> all = Future.all(replies).map(c -> c.<String>list()).await();
      assertThat(all).allMatch(s -> s.endsWith("|hot"));
      assertThat(all).filteredOn(s -> s.contains("collapsed") || s.contains("; hit;")).hasSize(99);
      assertThat(origin.hits("/hot")).isEqualTo(1);
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void largeBodiesStreamThroughWithoutBeingStored() {
    String big = "x".repeat(4096);
    origin.on("/small/big", req -> respond(req, 200, big, "Cache-Control", "max-age=60"));
    origin.on("/small/chunked", req -> {
      var resp = req.response().setChunked(true).putHeader("Cache-Control", "max-age=60");
      for (int i = 0; i < 8; i++) {
        resp.write(Buffer.buffer("y".repeat(512)));
      }
      resp.end();
    });
    origin.on("/small/tiny", req -> respond(req, 200, "tiny", "Cache-Control", "max-age=60"));
    for (int i = 0; i < 2; i++) {
      Reply r = get("/small/big");
      assertThat(r.body()).isEqualTo(big);
      assertThat(status(r)).contains("detail=too-large");
      assertThat(get("/small/chunked").body()).isEqualTo("y".repeat(4096));
      get("/small/tiny");
    }
    assertThat(origin.hits("/small/big")).isEqualTo(2);
    assertThat(origin.hits("/small/chunked")).as("outgrew maxObjectSize while streaming").isEqualTo(2);
    assertThat(origin.hits("/small/tiny")).isEqualTo(1);
  }

  @Test
  void theTtlOverrideIsNotGivenToServerErrors() {
    origin.on("/keyed/broken", req -> respond(req, 503, "down"));
    get("/keyed/broken");
    int before = origin.hits("/keyed/broken"); // the gateway may retry a 503: count what the second request adds
    assertThat(status(get("/keyed/broken"))).isEqualTo("sluice; fwd=uri-miss; detail=no-freshness");
    assertThat(origin.hits("/keyed/broken")).isGreaterThan(before);
  }

  @Test
  void keyQuerySubsetAndTtlOverride() {
    origin.on("/keyed/list", req -> respond(req, 200, "page " + req.getParam("page")));
    get("/keyed/list?page=1&utm=a");
    Reply same = get("/keyed/list?utm=b&page=1");
    assertThat(same.body()).isEqualTo("page 1");
    assertThat(status(same)).startsWith("sluice; hit; ttl=");
    assertThat(get("/keyed/list?page=2").body()).isEqualTo("page 2");
    assertThat(origin.hits("/keyed/list")).isEqualTo(2);
  }

  @Test
  void bypassRangeHeadAndMethodsCarryCacheStatus() {
    origin.on("/misc", req -> respond(req, 200, "misc", "Cache-Control", "max-age=60"));
    assertThat(status(get("/misc", "X-Cache-Bypass", "1"))).isEqualTo("sluice; fwd=bypass");
    assertThat(status(get("/misc", "Range", "bytes=0-1"))).isEqualTo("sluice; fwd=bypass; detail=range");
    assertThat(status(send(HttpMethod.HEAD, "/misc"))).isEqualTo("sluice; fwd=method");
    get("/misc");
    Reply head = send(HttpMethod.HEAD, "/misc");
    assertThat(status(head)).startsWith("sluice; hit");
    assertThat(head.body()).isEmpty();
    assertThat(status(send(HttpMethod.OPTIONS, "/misc"))).isEqualTo("sluice; fwd=method");
    assertThat(origin.hits("/misc")).isEqualTo(5);
  }
}
