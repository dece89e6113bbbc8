// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import static io.sluice.gateway.platform.TestClient.headers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.gateway.platform.TestClient.Reply;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code PolicyContext.upstream()}: a request a policy sends goes through its route as a proxied one does (path
 * mapping, balancer, outlier ejection, retries, header rules), through a real gateway to real backends; the test
 * policy {@code send} answers with what it got.
 */
class PolicyUpstreamIT {

  @TempDir Path dir;
  private final Vertx vertx = Vertx.vertx();
  private final Map<String, MultiMap> seen = new ConcurrentHashMap<>();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /** A backend answering {@code name uri}, keeping the headers of the last request per name. */
  private TestBackend echo(String name) {
    return TestBackend.start(vertx, r -> {
      seen.put(name, MultiMap.caseInsensitiveMultiMap().addAll(r.headers()));
      r.response().putHeader("Connection", "X-Hop").putHeader("X-Hop", "1").end(name + " " + r.uri());
    });
  }

  private static String config(String upstreamSettings, TestBackend... targets) {
    return """
        upstreams:
          pool:
            targets: [%s]
        %s
        routes:
          - { id: api, path: "/api/**", stripPrefix: true, upstream: pool, policies: [ { type: send } ] }
        """.formatted(TestGateway.targets(targets), upstreamSettings.indent(4));
  }

  /**
   * A policy that answers without reading the request body (send GETs on its own): the rest of the body would
   * hold the connection, its next request waiting behind it; so the answer says close and the connection ends.
   */
  @Test
  void anAnswerToARequestWhoseBodyWasNotReadClosesTheConnection() throws Exception {
    try (TestBackend a = echo("a");
        TestGateway gw = TestGateway.start(dir, config("", a));
        TestClient client = new TestClient(vertx)) {
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", gw.port())) {
        s.setSoTimeout(5000);
        String body = "x".repeat(100_000);
        s.getOutputStream().write(("POST /api/upload HTTP/1.1\r\nHost: a\r\nContent-Length: " + body.length()
            + "\r\n\r\n" + body).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        String answer = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(answer).startsWith("HTTP/1.1 200 ").endsWith("a /upload");
        assertThat(answer.toLowerCase(java.util.Locale.ROOT)).contains("connection: close");
      }
      assertThat(client.get(gw.port(), "/api/next").body()).as("a fresh connection is served").isEqualTo("a /next");
    }
  }

  @Test
  void mapsThePathThroughTheRouteAndBalancesOverItsTargets() throws Exception {
    try (TestBackend a = echo("a");
        TestBackend b = echo("b");
        TestGateway gw = TestGateway.start(dir, config("", a, b));
        TestClient client = new TestClient(vertx)) {
      List<String> bodies = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        Reply r = client.get(gw.port(), "/api/items?x=1", headers("Connection", "X-Secret", "X-Secret", "s",
            "X-Request-Id", "client-id-1", "X-Real-IP", "6.6.6.6", "X-Kept", "k"));
        assertThat(r.headers().get("X-Sent-Status")).isEqualTo("200");
        bodies.add(r.body());
      }
      assertThat(bodies).containsExactlyInAnyOrder("a /items?x=1", "b /items?x=1");
      MultiMap up = seen.get("a");
      assertThat(up.get("X-Kept")).isEqualTo("k");
      assertThat(up.contains("X-Secret")).as("named in Connection: hop-by-hop").isFalse();
      assertThat(up.contains("X-Real-IP")).as("client-address headers are the gateway's").isFalse();
      assertThat(up.get("X-Forwarded-For")).isEqualTo("127.0.0.1");
      assertThat(up.get("Via")).isEqualTo("1.1 sluice");
      assertThat(up.get("X-Request-Id")).isNotEqualTo("client-id-1").isNotBlank();
      assertThat(up.get("Host")).isEqualTo("127.0.0.1:" + a.port());
    }
  }

  @Test
  void theGatewaysOwnRequestCarriesNoClientAddress() throws Exception {
    try (TestBackend a = echo("a");
        TestGateway gw = TestGateway.start(dir, config("", a));
        TestClient client = new TestClient(vertx)) {
      Reply r = client.get(gw.port(), "/api/own", headers("X-Send-Own", "1", "X-Forwarded-For", "6.6.6.6"));
      assertThat(r.body()).isEqualTo("a /own");
      assertThat(seen.get("a").contains("X-Forwarded-For")).isFalse();
      assertThat(seen.get("a").get("Via")).isEqualTo("1.1 sluice");
    }
  }

  @Test
  void failuresCountAgainstTheTargetAndEjectItLikeProxiedRequests() throws Exception {
    AtomicInteger aHits = new AtomicInteger();
    try (TestBackend a = TestBackend.start(vertx, r -> {
          aHits.incrementAndGet();
          r.connection().close();
        });
        TestBackend b = echo("b");
        TestGateway gw = TestGateway.start(dir, config("""
            outlierDetection: { consecutiveFailures: 2, baseEjectionTime: 30s, maxEjectionTime: 60s }
            """, a, b));
        TestClient client = new TestClient(vertx)) {
      // Retried on b as the route's retry policy allows for a GET: every request gets b's answer.
      for (int i = 0; i < 4; i++) {
        Reply r = client.get(gw.port(), "/api/x");
        assertThat(r.headers().get("X-Sent-Status")).isEqualTo("200");
        assertThat(r.body()).isEqualTo("b /x");
      }
      JsonObject state = client.target(gw, "pool", a.port());
      assertThat(state.getBoolean("ejected")).isTrue();
      assertThat(state.getLong("failures")).isEqualTo(2L);
      int hits = aHits.get();
      for (int i = 0; i < 4; i++) {
        assertThat(client.get(gw.port(), "/api/x").body()).isEqualTo("b /x");
      }
      assertThat(aHits.get()).as("an ejected target gets no policy requests either").isEqualTo(hits);
    }
  }

  @Test
  void aRequestStartedBeforeAReloadFinishesOnItsConfiguration() throws Exception {
    List<HttpServerRequest> held = new ArrayList<>();
    try (TestBackend a = TestBackend.start(vertx, r -> {
          synchronized (held) {
            held.add(r);
          }
        });
        TestBackend b = echo("b");
        TestGateway gw = TestGateway.start(dir, config("", a));
        TestClient client = new TestClient(vertx)) {
      Future<Reply> reply = client.sendAsync(HttpMethod.GET, gw.port(), "/api/slow", MultiMap.caseInsensitiveMultiMap(),
          null);
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        synchronized (held) {
          return held.size() == 1;
        }
      });
      gw.rewrite(config("", b).replace("/api/**", "/v2/**"));
      assertThat(client.send(HttpMethod.POST, gw.adminPort(), "/admin/reload",
          headers("Authorization", "Bearer " + TestGateway.ADMIN_TOKEN), null).status()).isEqualTo(200);
      assertThat(client.get(gw.port(), "/api/slow").status()).as("the new configuration serves").isEqualTo(404);
      synchronized (held) {
        held.get(0).response().end("a " + held.get(0).uri());
      }
      Reply r = reply.await();
      assertThat(r.headers().get("X-Sent-Status")).isEqualTo("200");
      assertThat(r.body()).as("finished on the old route's upstream").isEqualTo("a /slow");
      assertThat(client.get(gw.port(), "/v2/slow").body()).isEqualTo("b /slow");
    }
  }

  @Test
  void refusalsHaveStableKeys() throws Exception {
    try (TestBackend a = echo("a");
        TestGateway gw = TestGateway.start(dir, config("", a));
        TestClient client = new TestClient(vertx)) {
      assertThat(client.get(gw.port(), "/api/x", headers("X-Send-Uri", "/elsewhere")).headers().get("X-Sent-Failure"))
          .isEqualTo("UPSTREAM_PATH_INVALID");
      assertThat(client.get(gw.port(), "/api/x", headers("X-Send-Max", "3")).headers().get("X-Sent-Failure"))
          .isEqualTo("UPSTREAM_BODY_TOO_LARGE");
    }
    try (TestGateway gw = TestGateway.start(dir, config("", TestBackend.start(vertx, r -> r.connection().close())));
        TestClient client = new TestClient(vertx)) {
      assertThat(client.get(gw.port(), "/api/x").headers().get("X-Sent-Failure")).isEqualTo("UPSTREAM_UNAVAILABLE");
    }
  }
}
