// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.gateway.platform.TestClient.Reply;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Hot reload: atomic swaps, refused invalid files, requests in flight, and reloads under load. */
@ExtendWith(VertxExtension.class)
class ReloadIT {

  @TempDir Path dir;
  Vertx vertx;
  TestClient client;
  TestBackend blue;
  TestBackend green;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    client = new TestClient(vertx);
    blue = TestBackend.named(vertx, "blue");
    green = TestBackend.named(vertx, "green");
  }

  @AfterEach
  void tearDown() {
    blue.close();
    green.close();
    client.close();
  }

  private String config(String color, String extraRoute) {
    return """
        upstreams:
          blue:
            targets: ["%s"]
          green:
            targets: ["%s"]
        routes:
          - id: stable
            path: /stable/**
            upstream: %s
        %s
        """.formatted(blue.url(), green.url(), color, extraRoute);
  }

  private Reply reload(TestGateway gw) {
    MultiMap auth = MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + TestGateway.ADMIN_TOKEN);
    return client.send(HttpMethod.POST, gw.adminPort(), "/admin/reload", auth, null);
  }

  @Test
  void adminReloadSwapsTheRouteTable() throws Exception {
    try (TestGateway gw = TestGateway.start(dir, config("blue", ""))) {
      assertThat(client.get(gw.port(), "/stable/x").body()).isEqualTo("blue");
      assertThat(client.get(gw.port(), "/new").status()).isEqualTo(404);

      gw.rewrite(config("green", """
            - id: new
              path: /new
              upstream: blue
          """));
      Reply reloaded = reload(gw);
      assertThat(reloaded.status()).isEqualTo(200);
      assertThat(reloaded.json().getInteger("routes")).isEqualTo(2);
      assertThat(client.get(gw.port(), "/stable/x").body()).isEqualTo("green");
      assertThat(client.get(gw.port(), "/new").body()).isEqualTo("blue");
    }
  }

  @Test
  void consumersReloadWithTheRoutesAndReachTheUpstreamAsConsumerHeaders() throws Exception {
    TestBackend who = TestBackend.start(vertx, req -> req.response().end(
        req.getHeader("X-Consumer-Id") + "/" + req.getHeader("X-Consumer-Groups")));
    String route = """
        routes:
          - id: open
            path: /open/**
            upstream: "%s"
            authentication: { anonymous: guest }
        """.formatted(who.url());
    try (TestGateway gw = TestGateway.start(dir, "consumers: [{ id: guest, groups: [public] }]\n" + route)) {
      MultiMap spoofed = MultiMap.caseInsensitiveMultiMap().add("X-Consumer-Id", "admin").add("X-Consumer-Groups", "root");
      assertThat(client.send(HttpMethod.GET, gw.port(), "/open/x", spoofed, null).body()).isEqualTo("guest/public");

      gw.rewrite("consumers: [{ id: guest, groups: [public, trial] }]\n" + route);
      assertThat(reload(gw).status()).isEqualTo(200);
      assertThat(client.get(gw.port(), "/open/x").body()).isEqualTo("guest/public,trial");

      gw.rewrite("consumers: [{ id: guest }, { id: guest }]\n" + route);
      Reply refused = reload(gw);
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.json().getJsonArray("errors").getList()).containsExactly("consumers[1].id: duplicate consumer id 'guest'");
      assertThat(client.get(gw.port(), "/open/x").body()).as("the previous configuration still serves").isEqualTo("guest/public,trial");
    } finally {
      who.close();
    }
  }

  @Test
  void refusesAnInvalidFileAndKeepsServing() throws Exception {
    try (TestGateway gw = TestGateway.start(dir, config("blue", ""))) {
      gw.rewrite(config("green", """
            - id: broken
              path: /broken
              upstream: gren
            - id: also-broken
              path: /x/{id}/{id}
              upstream: green
          """));
      Reply refused = reload(gw);
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.headers().get("Content-Type")).isEqualTo("application/problem+json");
      assertThat(refused.key()).isEqualTo("CONFIG_INVALID");
      assertThat(refused.json().getJsonArray("errors").getList()).containsExactly(
          "routes[broken].upstream: unknown upstream 'gren' (did you mean 'green'?)",
          "routes[also-broken].path: '/x/{id}/{id}' uses parameter 'id' twice");
      assertThat(client.get(gw.port(), "/stable/x").body()).as("the previous configuration still serves").isEqualTo("blue");

      gw.rewrite("routes: [ { id: x, path: /x, upstream: nowhere, colour: red } ]");
      Reply unknownKey = reload(gw);
      assertThat(unknownKey.json().getJsonArray("errors").getList()).hasSize(2)
          .anySatisfy(e -> assertThat((String) e).startsWith("routes[x]: unknown key 'colour'"))
          .contains("routes[x].upstream: unknown upstream 'nowhere'");
      assertThat(client.get(gw.port(), "/stable/x").body()).isEqualTo("blue");
    }
  }

  @Test
  void reportsBindingAndSemanticErrorsOfAFileTogether() throws Exception {
    try (TestGateway gw = TestGateway.start(dir, config("blue", ""))) {
      gw.rewrite(config("green", """
            - id: slow
              path: /slow/{id}
              upstream: ordrs
              rewrite: /v2/{nope}
              timeouts: { connect: 0s }
            - id: typo
              path: /typo
              upstream: blue
              stripPrefx: true
          """));
      Reply refused = reload(gw);
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.json().getJsonArray("errors").getList()).containsExactlyInAnyOrder(
          "routes[slow].timeouts.connect: must be > 0",
          "routes[typo]: unknown key 'stripPrefx' (known: authentication, headers, hosts, id, maxBodySize, methods, path, policies, "
              + "preserveHost, query, rewrite, stripPrefix, timeouts, upstream, upstreamHost)",
          "routes[slow].upstream: unknown upstream 'ordrs'",
          "routes[slow].rewrite: '/v2/{nope}' uses {nope}, which path '/slow/{id}' does not capture");
      assertThat(client.get(gw.port(), "/stable/x").body()).isEqualTo("blue");
    }
  }

  @Test
  void reloadsWhenTheFileChanges() throws Exception {
    Path file = dir.resolve("sluice.yaml");
    TestGateway.write(file, TestGateway.config(dir.resolve("access.log"), "", config("blue", ""))
        .replace("watch: false", "watch: true\n  interval: 100ms"));
    Gateway gateway = Gateway.start(file);
    try {
      assertThat(client.get(gateway.port(), "/stable/x").body()).isEqualTo("blue");
      TestGateway.write(file, TestGateway.config(dir.resolve("access.log"), "", config("green", ""))
          .replace("watch: false", "watch: true\n  interval: 100ms"));
      await().atMost(Duration.ofSeconds(10))
          .until(() -> client.get(gateway.port(), "/stable/x").body().equals("green"));
    } finally {
      gateway.close();
    }
  }

  /**
   * The backend holds the request until the reload has been applied (the admin API lists no route and a new
   * request is refused 404), so the request is always in flight across the swap, however long a reload takes.
   */
  @Test
  void requestsInFlightFinishOnTheRouteTheyStartedWith() throws Exception {
    CompletableFuture<HttpServerRequest> held = new CompletableFuture<>();
    TestBackend slow = TestBackend.start(vertx, held::complete);
    try (TestGateway gw = TestGateway.start(dir, """
        routes:
          - id: slow
            path: /slow
            upstream: %s
        """.formatted(slow.url()))) {
      var inFlight = client.onContext(() -> client.raw().request(HttpMethod.GET, gw.port(), "127.0.0.1", "/slow")
          .compose(req -> req.send())
          .compose(resp -> resp.body().map(b -> resp.statusCode() + " " + b)));
      HttpServerRequest request = held.get(5, TimeUnit.SECONDS);
      gw.rewrite("routes: []");
      assertThat(reload(gw).status()).isEqualTo(200);
      assertThat(client.admin(gw, "/admin/routes").getJsonArray("routes")).as("the reload is applied").isEmpty();
      assertThat(client.get(gw.port(), "/slow").status()).isEqualTo(404);
      assertThat(inFlight.isComplete()).as("the request is still in flight after the swap").isFalse();
      assertThat(slow.hits()).isEqualTo(1);

      request.response().end("slow-but-fine");
      assertThat(inFlight.await()).isEqualTo("200 slow-but-fine");
    } finally {
      slow.close();
    }
  }

  @Test
  void reloadsUnderConcurrentLoadWithoutFailedRequests() throws Exception {
    try (TestGateway gw = TestGateway.start(dir, config("blue", ""))) {
      SteadyLoad load = SteadyLoad.start(vertx, 8, gw.port(), "/stable/load",
          r -> r.status() == 200 && (r.body().equals("blue") || r.body().equals("green")));
      for (int i = 0; i < 20; i++) {
        gw.rewrite(i % 5 == 4 ? "routes: [ { id: bad, path: nope, upstream: blue } ]" : config(i % 2 == 0 ? "green" : "blue", ""));
        reload(gw);
        Thread.sleep(100);
      }
      load.stop();
      assertThat(load.failures()).isEmpty();
      assertThat(load.ok()).isGreaterThan(100);
    }
  }
}
