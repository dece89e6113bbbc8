// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.platform.TestClient.Reply;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The proxy end to end: real backends, a real gateway, real sockets. */
@ExtendWith(VertxExtension.class)
class ProxyIT {

  @TempDir Path dir;
  Vertx vertx;
  TestClient client;
  TestBackend backend;
  TestGateway gw;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.client = new TestClient(vertx);
    this.backend = TestBackend.start(vertx, request -> request.body().onSuccess(body -> request.response()
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("uri", request.uri()).put("host", request.getHeader("Host")).encode())));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (gw != null) {
      gw.close();
    }
    backend.close();
    client.close();
  }

  private void gateway(String routes) {
    gw = TestGateway.start(dir, "upstreams:\n  app:\n    targets: [\"" + backend.url() + "\"]\n" + routes);
  }

  @Test
  void proxiesAndAnswersWithTheUpstreamResponse() throws Exception {
    gateway("""
        routes:
          - id: all
            path: /**
            upstream: app
        """);
    Reply reply = client.get(gw.port(), "/hello/world?a=1&b=two");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().getString("uri")).isEqualTo("/hello/world?a=1&b=two");
    assertThat(reply.headers().get("Via")).isEqualTo("1.1 sluice");
    assertThat(backend.next().uri()).isEqualTo("/hello/world?a=1&b=two");
  }

  @Test
  void mostSpecificRouteWins() throws Exception {
    TestBackend users = TestBackend.named(vertx, "users");
    TestBackend user = TestBackend.named(vertx, "user-by-id");
    TestBackend me = TestBackend.named(vertx, "me");
    TestBackend admin = TestBackend.named(vertx, "admin-get");
    TestBackend any = TestBackend.named(vertx, "catch-all");
    TestBackend hosted = TestBackend.named(vertx, "host-specific");
    TestBackend wildcard = TestBackend.named(vertx, "wildcard-host");
    try {
      gateway("""
          routes:
            - id: catch-all
              path: /**
              upstream: %s
            - id: users-tree
              path: /users/**
              upstream: %s
            - id: user
              path: /users/{id}
              upstream: %s
            - id: me
              path: /users/me
              upstream: %s
            - id: users-get-with-header
              path: /users/{id}
              methods: [GET]
              headers: { X-Admin: "yes" }
              upstream: %s
            - id: api-host
              hosts: [api.example.com]
              path: /users/me
              upstream: %s
            - id: wildcard-host
              hosts: ["*.example.com"]
              path: /users/me
              upstream: %s
          """.formatted(any.url(), users.url(), user.url(), me.url(), admin.url(), hosted.url(), wildcard.url()));
      assertThat(client.get(gw.port(), "/users/me").body()).isEqualTo("me");
      assertThat(client.get(gw.port(), "/users/42").body()).isEqualTo("user-by-id");
      assertThat(client.get(gw.port(), "/users/42/orders").body()).isEqualTo("users");
      assertThat(client.get(gw.port(), "/users").body()).isEqualTo("users");
      assertThat(client.get(gw.port(), "/other").body()).isEqualTo("catch-all");
      assertThat(client.get(gw.port(), "/users/42", headers("X-Admin", "yes")).body()).isEqualTo("admin-get");
      assertThat(client.get(gw.port(), "/users/me", headers("Host", "api.example.com")).body()).isEqualTo("host-specific");
      assertThat(client.get(gw.port(), "/users/me", headers("Host", "API.Example.com:8080")).body()).isEqualTo("host-specific");
      assertThat(client.get(gw.port(), "/users/me", headers("Host", "a.b.example.com")).body()).isEqualTo("wildcard-host");
      assertThat(client.get(gw.port(), "/users/42", headers("Host", "a.example.com")).body())
          .as("a host table without a matching path falls back to routes without hosts")
          .isEqualTo("user-by-id");
    } finally {
      for (TestBackend b : List.of(users, user, me, admin, any, hosted, wildcard)) {
        b.close();
      }
    }
  }

  @Test
  void rewritesStripsPrefixesAndSetsTheUpstreamHost() throws Exception {
    gateway("""
        routes:
          - id: rewrite
            path: /api/users/{id}/{*rest}
            upstream: app
            rewrite: /v2/accounts/{id}/{rest}
          - id: strip
            path: /static/**
            upstream: app
            stripPrefix: true
            upstreamHost: assets.internal
          - id: preserve
            path: /keep/**
            upstream: app
            preserveHost: true
          - id: based
            path: /based/**
            upstream: %s/base/
            stripPrefix: true
        """.formatted(backend.url()));
    assertThat(client.get(gw.port(), "/api/users/7/orders/3?x=1").json().getString("uri"))
        .isEqualTo("/v2/accounts/7/orders/3?x=1");
    Reply stripped = client.get(gw.port(), "/static/css/site.css");
    assertThat(stripped.json().getString("uri")).isEqualTo("/css/site.css");
    assertThat(stripped.json().getString("host")).isEqualTo("assets.internal");
    assertThat(client.get(gw.port(), "/static").json().getString("uri")).isEqualTo("/");
    assertThat(client.get(gw.port(), "/keep/x", headers("Host", "shop.example.com")).json().getString("host"))
        .isEqualTo("shop.example.com");
    assertThat(client.get(gw.port(), "/based/a/b").json().getString("uri")).isEqualTo("/base/a/b");
  }

  @Test
  void normalisesPathsBeforeRouting() throws Exception {
    TestBackend admin = TestBackend.named(vertx, "admin");
    TestBackend pub = TestBackend.named(vertx, "public");
    try {
      gateway("""
          routes:
            - id: public
              path: /public/**
              upstream: %s
            - id: admin
              path: /admin/**
              upstream: %s
          """.formatted(pub.url(), admin.url()));
      assertThat(client.get(gw.port(), "/public/../admin/secrets").body()).isEqualTo("admin");
      assertThat(client.get(gw.port(), "/public/%2e%2e/admin/secrets").body()).isEqualTo("admin");
      assertThat(client.get(gw.port(), "/public/%2E%2E/%2e%2e/admin/x").body()).isEqualTo("admin");
      assertThat(client.get(gw.port(), "//public//./file").body()).isEqualTo("public");
      assertThat(pub.next().uri()).isEqualTo("/public/file");
      Reply escaped = client.get(gw.port(), "/public/..%2Fadmin/secrets");
      assertThat(escaped.status()).isEqualTo(400);
      assertThat(escaped.key()).isEqualTo("PATH_ESCAPED_SLASH");
      assertThat(client.get(gw.port(), "/public/%zz").key()).isEqualTo("PATH_INVALID");
      assertThat(client.get(gw.port(), "/public/a%00b").key()).isEqualTo("PATH_INVALID");
      assertThat(admin.next().uri()).isEqualTo("/admin/secrets");
    } finally {
      admin.close();
      pub.close();
    }
  }

  @Test
  void removesHopByHopHeadersBothWays() throws Exception {
    TestBackend hop = TestBackend.start(vertx, request -> request.response()
        .putHeader("Connection", "X-Backend-Private")
        .putHeader("X-Backend-Private", "secret")
        .putHeader("Keep-Alive", "timeout=5")
        .putHeader("X-End-To-End", "kept")
        .end("ok"));
    try {
      gateway("""
          routes:
            - id: hop
              path: /**
              upstream: %s
          """.formatted(hop.url()));
      Reply reply = client.get(gw.port(), "/h", headers(
          "Connection", "keep-alive, X-Client-Private",
          "X-Client-Private", "secret",
          "Keep-Alive", "timeout=5",
          "TE", "gzip",
          "Proxy-Authorization", "Basic Zm9vOmJhcg==",
          "X-Client-Visible", "yes"));
      TestBackend.Received received = hop.next();
      assertThat(received.headers().get("X-Client-Visible")).isEqualTo("yes");
      assertThat(received.headers().contains("X-Client-Private")).isFalse();
      assertThat(received.headers().contains("TE")).isFalse();
      assertThat(received.headers().contains("Proxy-Authorization")).isFalse();
      assertThat(received.headers().get("Keep-Alive")).isNull();
      assertThat(reply.headers().get("X-End-To-End")).isEqualTo("kept");
      assertThat(reply.headers().contains("X-Backend-Private")).isFalse();
      assertThat(reply.headers().contains("Keep-Alive")).isFalse();
    } finally {
      hop.close();
    }
  }

  @Test
  void replacesForwardingHeadersFromUntrustedClients() throws Exception {
    gateway("""
        routes:
          - id: all
            path: /**
            upstream: app
        """);
    client.get(gw.port(), "/f", headers(
        "X-Forwarded-For", "6.6.6.6",
        "X-Forwarded-Proto", "https",
        "X-Forwarded-Host", "evil.example",
        "Forwarded", "for=6.6.6.6",
        "Host", "shop.example.com",
        "Via", "1.1 corporate-proxy"));
    MultiMap seen = backend.next().headers();
    assertThat(seen.get("X-Forwarded-For")).isEqualTo("127.0.0.1");
    assertThat(seen.get("X-Forwarded-Proto")).isEqualTo("http");
    assertThat(seen.get("X-Forwarded-Host")).isEqualTo("shop.example.com");
    assertThat(seen.contains("Forwarded")).isFalse();
    assertThat(seen.get("Via")).isEqualTo("1.1 corporate-proxy, 1.1 sluice");
  }

  @Test
  void extendsForwardingHeadersFromTrustedProxies() throws Exception {
    gw = TestGateway.start(dir, "  trustedProxies: [127.0.0.0/8]", """
        routes:
          - id: all
            path: /**
            upstream: %s
        """.formatted(backend.url()));
    client.get(gw.port(), "/f", headers(
        "X-Forwarded-For", "203.0.113.9",
        "X-Forwarded-Proto", "https",
        "X-Forwarded-Host", "shop.example.com"));
    MultiMap seen = backend.next().headers();
    assertThat(seen.get("X-Forwarded-For")).isEqualTo("203.0.113.9, 127.0.0.1");
    assertThat(seen.get("X-Forwarded-Proto")).isEqualTo("https");
    assertThat(seen.get("X-Forwarded-Host")).isEqualTo("shop.example.com");
    // RFC 9110 §5.3: several lines are one list; the upstream gets all of it, in order, on one line
    client.get(gw.port(), "/f", headers("X-Forwarded-For", "6.6.6.6", "X-Forwarded-For", "203.0.113.9",
        "Via", "1.1 a", "Via", "1.1 b"));
    MultiMap lines = backend.next().headers();
    assertThat(lines.getAll("X-Forwarded-For")).containsExactly("6.6.6.6, 203.0.113.9, 127.0.0.1");
    assertThat(lines.getAll("Via")).containsExactly("1.1 a, 1.1 b, 1.1 sluice");
  }

  @Test
  void passesOnOrGeneratesRequestIds() throws Exception {
    gateway("""
        routes:
          - id: all
            path: /**
            upstream: app
        """);
    Reply given = client.get(gw.port(), "/id", headers("X-Request-Id", "abc-123"));
    assertThat(given.headers().get("X-Request-Id")).isEqualTo("abc-123");
    assertThat(backend.next().headers().get("X-Request-Id")).isEqualTo("abc-123");

    Reply generated = client.get(gw.port(), "/id", headers("X-Request-Id", "bad id with spaces"));
    String id = generated.headers().get("X-Request-Id");
    assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(backend.next().headers().get("X-Request-Id")).isEqualTo(id);
  }

  @Test
  void answersProblemsForRoutingErrors() throws Exception {
    gateway("""
        routes:
          - id: read-only
            path: /items/**
            methods: [GET, HEAD]
            upstream: app
        """);
    Reply notFound = client.get(gw.port(), "/nothing-here");
    assertThat(notFound.status()).isEqualTo(404);
    assertThat(notFound.headers().get("Content-Type")).isEqualTo("application/problem+json");
    assertThat(notFound.key()).isEqualTo("ROUTE_NOT_FOUND");
    assertThat(notFound.json().getString("requestId")).isEqualTo(notFound.headers().get("X-Request-Id"));

    Reply notAllowed = client.send(HttpMethod.DELETE, gw.port(), "/items/1", MultiMap.caseInsensitiveMultiMap(), null);
    assertThat(notAllowed.status()).isEqualTo(405);
    assertThat(notAllowed.key()).isEqualTo("METHOD_NOT_ALLOWED");
    assertThat(notAllowed.headers().get("Allow")).isEqualTo("GET, HEAD");

    Reply underscore = client.get(gw.port(), "/items/1", headers("X_User", "admin"));
    assertThat(underscore.status()).isEqualTo(400);
    assertThat(underscore.key()).isEqualTo("HEADER_NAME_INVALID");
    assertThat(backend.hits()).isZero();
  }

  @Test
  void answers502WhenTheUpstreamRefuses() throws Exception {
    int closedPort;
    try (var socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    gateway("""
        routes:
          - id: down
            path: /**
            upstream: http://127.0.0.1:%d
        """.formatted(closedPort));
    Reply reply = client.get(gw.port(), "/x");
    assertThat(reply.status()).isEqualTo(502);
    assertThat(reply.key()).isEqualTo("UPSTREAM_UNAVAILABLE");
    assertThat(reply.body()).doesNotContain("Exception").doesNotContain("at io.");
  }

  /**
   * The 504 comes once, not before {@code timeouts.response} has passed since the request was sent, and soon
   * after (a timer firing late or never would fail this); the upstream request is then abandoned, and the next
   * request on the same connection gets its own answer (an exchange answered twice would show a second
   * response first).
   */
  @Test
  void answers504WhenTheUpstreamDoesNotAnswerInTime() throws Exception {
    AtomicLong arrived = new AtomicLong();
    CountDownLatch abandoned = new CountDownLatch(1);
    TestBackend silent = TestBackend.start(vertx, request -> {
      arrived.set(System.nanoTime());
      request.connection().closeHandler(v -> abandoned.countDown());
    });
    try (LogCapture logs = LogCapture.of("io.sluice")) {
      gateway("""
          routes:
            - id: slow
              path: /slow/**
              upstream: %s
              timeouts: { response: 300ms }
            - id: all
              path: /**
              upstream: app
          """.formatted(silent.url()));
      try (var socket = new java.net.Socket("127.0.0.1", gw.port())) {
        socket.setSoTimeout(5000);
        long sent = System.nanoTime();
        socket.getOutputStream().write(("GET /slow/x HTTP/1.1\r\nHost: a\r\n\r\n"
            + "GET /after HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        var in = new java.io.BufferedInputStream(socket.getInputStream());
        String first = readResponse(in);
        long answered = System.nanoTime();
        assertThat(first).startsWith("HTTP/1.1 504").contains("UPSTREAM_TIMEOUT");
        assertThat(arrived.get()).as("the request reached the upstream").isNotZero();
        assertThat(TimeUnit.NANOSECONDS.toMillis(answered - sent)).as("ms from sending to the 504: not early")
            .isGreaterThanOrEqualTo(300);
        assertThat(TimeUnit.NANOSECONDS.toMillis(answered - arrived.get()))
            .as("ms from the upstream's receipt to the 504: not late (10 ms ticks, generous slack)")
            .isLessThan(300 + 600);
        String second = readResponse(in);
        assertThat(second).as("the next request's own answer, not a second one for the first")
            .startsWith("HTTP/1.1 200").contains("\"uri\":\"/after\"");
        assertThat(in.read()).as("nothing after the two answers").isEqualTo(-1);
      }
      assertThat(abandoned.await(5, TimeUnit.SECONDS)).as("the upstream request is abandoned").isTrue();
      assertThat(silent.hits()).isEqualTo(1);
      gw.close();
      List<String> lines = gw.accessLogLines();
      gw = null;
      assertThat(lines).as("one access-log line per exchange").hasSize(2);
      assertThat(new JsonObject(lines.get(0)).getString("path")).isEqualTo("/slow/x");
      assertThat(new JsonObject(lines.get(0)).getInteger("status")).isEqualTo(504);
      assertThat(logs.lines()).noneMatch(line -> line.startsWith("ERROR") || line.startsWith("WARN"));
    } finally {
      silent.close();
    }
  }

  /** One HTTP/1.1 response with a Content-Length body, read from {@code in}. */
  private static String readResponse(java.io.InputStream in) throws java.io.IOException {
    java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new AssertionError("the connection closed within a response head: " + head);
      }
      head.write(b);
    }
    String text = head.toString(StandardCharsets.US_ASCII);
    int length = 0;
    for (String line : text.split("\r\n")) {
      if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  @Test
  void answers502WhenTheUpstreamClosesWithoutAnswering() throws Exception {
    TestBackend rude = TestBackend.start(vertx, request -> request.connection().close());
    try {
      gateway("""
          routes:
            - id: rude
              path: /**
              upstream: %s
          """.formatted(rude.url()));
      Reply reply = client.get(gw.port(), "/x");
      assertThat(reply.status()).isEqualTo(502);
      assertThat(reply.key()).isEqualTo("UPSTREAM_UNAVAILABLE");
    } finally {
      rude.close();
    }
  }

  @Test
  void refusesBodiesAboveTheRouteLimit() throws Exception {
    gateway("""
        routes:
          - id: small
            path: /**
            upstream: app
            maxBodySize: 1KB
        """);
    Reply declared = client.send(HttpMethod.POST, gw.port(), "/up", MultiMap.caseInsensitiveMultiMap(),
        Buffer.buffer(new byte[2048]));
    assertThat(declared.status()).isEqualTo(413);
    assertThat(declared.key()).isEqualTo("BODY_TOO_LARGE");
    assertThat(backend.hits()).as("a declared oversize body never reaches the upstream").isZero();

    Reply fits = client.send(HttpMethod.POST, gw.port(), "/up", MultiMap.caseInsensitiveMultiMap(),
        Buffer.buffer(new byte[1024]));
    assertThat(fits.status()).isEqualTo(200);
  }

  @Test
  void refusesChunkedBodiesOnceTheyPassTheLimit() throws Exception {
    gateway("""
        routes:
          - id: small
            path: /**
            upstream: app
            maxBodySize: 1KB
        """);
    var response = client.onContext(() -> client.raw()
        .request(HttpMethod.POST, gw.port(), "127.0.0.1", "/chunked")
        .compose(req -> {
          req.setChunked(true);
          for (int i = 0; i < 4; i++) {
            req.write(Buffer.buffer(new byte[512]));
          }
          req.end();
          return req.response();
        })
        .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.headers(), b.toString()))))
        .await();
    assertThat(response.status()).isEqualTo(413);
    assertThat(response.key()).isEqualTo("BODY_TOO_LARGE");
  }

  @Test
  void refusesOversizedHeadersAndUris() throws Exception {
    gateway("""
        routes:
          - id: all
            path: /**
            upstream: app
        """);
    Reply headers = client.get(gw.port(), "/x", headers("X-Big", "a".repeat(20_000)));
    assertThat(headers.status()).isEqualTo(431);
    assertThat(headers.key()).isEqualTo("HEADERS_TOO_LARGE");
    Reply uri = client.get(gw.port(), "/" + "a".repeat(10_000));
    assertThat(uri.status()).isEqualTo(414);
    assertThat(uri.key()).isEqualTo("URI_TOO_LONG");
    assertThat(backend.hits()).isZero();
  }

  @Test
  void answersMalformedRequestsWith400() throws Exception {
    gateway("""
        routes:
          - id: all
            path: /**
            upstream: app
        """);
    try (var socket = new java.net.Socket("127.0.0.1", gw.port())) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write("GET /x HTTP/1.1\r\nHost: a\r\nBad Header Line\r\n\r\n".getBytes());
      String answer = new String(socket.getInputStream().readAllBytes());
      assertThat(answer).startsWith("HTTP/1.1 400").contains("application/problem+json").contains("HEADER_INVALID");
    }
    assertThat(backend.hits()).isZero();
  }

  @Test
  void speaksHttp2WithPriorKnowledge() throws Exception {
    gw = TestGateway.start(dir, "  http2Cleartext: true", "upstreams:\n  app:\n    targets: [\"" + backend.url() + "\"]\n" + """
        routes:
          - id: all
            path: /**
            upstream: app
        """);
    try (TestClient h2 = new TestClient(vertx, HttpVersion.HTTP_2)) {
      Reply reply = h2.get(gw.port(), "/over/h2");
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.json().getString("uri")).isEqualTo("/over/h2");
      assertThat(reply.headers().get("Via")).isEqualTo("1.1 sluice");
      TestBackend.Received seen = backend.next();
      assertThat(seen.headers().get("Via")).isEqualTo("2.0 sluice");
      assertThat(seen.headers().contains("Transfer-Encoding")).as("a bodiless HTTP/2 GET is not sent chunked").isFalse();

      Reply posted = h2.send(HttpMethod.POST, gw.port(), "/over/h2", MultiMap.caseInsensitiveMultiMap(),
          Buffer.buffer("payload"));
      assertThat(posted.status()).isEqualTo(200);
      assertThat(backend.next().headers().get("Content-Length")).isEqualTo("7");
    }
  }

  @Test
  void writesOneAccessLogLinePerExchange() throws Exception {
    gateway("""
        routes:
          - id: logged
            path: /**
            upstream: app
        """);
    client.get(gw.port(), "/one?token=secret");
    client.get(gw.port(), "/two", headers("X_Bad", "1"));
    gw.close();
    List<String> lines = gw.accessLogLines();
    gw = null;
    assertThat(lines).hasSize(2);
    JsonObject first = new JsonObject(lines.get(0));
    assertThat(first.getString("route")).isEqualTo("logged");
    assertThat(first.getString("method")).isEqualTo("GET");
    assertThat(first.getString("path")).isEqualTo("/one");
    assertThat(first.getInteger("status")).isEqualTo(200);
    assertThat(first.getString("upstream")).isEqualTo("127.0.0.1:" + backend.port());
    assertThat(first.getDouble("latencyMs")).isPositive();
    assertThat(first.getDouble("upstreamLatencyMs")).isPositive();
    assertThat(first.getLong("bytesOut")).isPositive();
    assertThat(first.getString("requestId")).isNotBlank();
    assertThat(lines.get(0)).as("query strings may carry secrets").doesNotContain("secret");
    assertThat(new JsonObject(lines.get(1)).getInteger("status")).isEqualTo(400);
  }

  @Test
  void resetsAResponseThatStallsLongerThanTheIdleTimeout() throws Exception {
    TestBackend stalling = TestBackend.start(vertx, request -> request.response().setChunked(true).write("partial"));
    try {
      gateway("""
          routes:
            - id: stall
              path: /**
              upstream: %s
              timeouts: { idle: 300ms }
          """.formatted(stalling.url()));
      var outcome = client.onContext(() -> client.raw()
          .request(HttpMethod.GET, gw.port(), "127.0.0.1", "/stall")
          .compose(req -> req.send())
          .compose(resp -> resp.body()))
          .transform(ar -> io.vertx.core.Future.succeededFuture(ar.succeeded() ? "completed" : "failed"))
          .await();
      assertThat(outcome).as("a stalled body must not hang the client forever").isEqualTo("failed");
    } finally {
      stalling.close();
    }
  }

  @Test
  void aBodyCutShortUpstreamIsNeverPassedOnAsComplete() throws Exception {
    TestBackend cutting = TestBackend.start(vertx, request -> {
      request.response().setChunked(true).write("first half");
      vertx.setTimer(50, t -> request.connection().close());
    });
    try {
      gateway("""
          routes:
            - id: cut
              path: /**
              upstream: %s
          """.formatted(cutting.url()));
      var outcome = client.onContext(() -> client.raw()
          .request(HttpMethod.GET, gw.port(), "127.0.0.1", "/cut")
          .compose(req -> req.send())
          .compose(resp -> resp.body()))
          .transform(ar -> io.vertx.core.Future.succeededFuture(ar.succeeded() ? "completed" : "failed"))
          .await();
      assertThat(outcome).isEqualTo("failed");
    } finally {
      cutting.close();
    }
  }

  @Test
  void closesConnectionsBeyondTheLimit() throws Exception {
    gw = TestGateway.start(dir, "  maxConnections: 2", """
        routes:
          - id: all
            path: /**
            upstream: %s
        """.formatted(backend.url()));
    // A connection counts once it has sent its first bytes (Vert.x creates it after protocol detection);
    // sockets that never speak are closed by server.idleTimeout.
    try (var first = new java.net.Socket("127.0.0.1", gw.port());
        var second = new java.net.Socket("127.0.0.1", gw.port());
        var third = new java.net.Socket("127.0.0.1", gw.port())) {
      for (var socket : List.of(first, second)) {
        socket.setSoTimeout(5000);
        socket.getOutputStream().write("GET /x HTTP/1.1\r\nHost: a\r\n\r\n".getBytes());
        assertThat(new String(socket.getInputStream().readNBytes(12))).isEqualTo("HTTP/1.1 200");
      }
      third.setSoTimeout(5000);
      third.getOutputStream().write("GET /x HTTP/1.1\r\nHost: a\r\n\r\n".getBytes());
      assertThat(third.getInputStream().read()).as("the third connection is closed without an answer").isEqualTo(-1);
    }
  }

  static MultiMap headers(String... pairs) {
    MultiMap m = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < pairs.length; i += 2) {
      m.add(pairs[i], pairs[i + 1]);
    }
    return m;
  }
}
