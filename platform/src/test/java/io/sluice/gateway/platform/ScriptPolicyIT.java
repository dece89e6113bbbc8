// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.gateway.platform.TestClient.Reply;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** JavaScript policies on real GraalJS through a running gateway. */
@ExtendWith(VertxExtension.class)
class ScriptPolicyIT {

  @TempDir Path dir;
  Path scripts;
  Vertx vertx;
  TestClient client;
  TestBackend backend;
  TestGateway gw;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    this.vertx = vertx;
    scripts = Files.createDirectories(dir.resolve("policies"));
    client = new TestClient(vertx);
    backend = TestBackend.start(vertx, request -> request.response()
        .putHeader("X-Seen-Tenant", String.valueOf(request.getHeader("X-Tenant")))
        .end("backend"));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (gw != null) {
      gw.close();
    }
    backend.close();
    client.close();
  }

  private void script(String name, String source) throws Exception {
    Files.writeString(scripts.resolve(name), source);
  }

  private String config(String file, String extra) {
    return """
        scripts: { dir: %s, watch: true }
        reloadInterval: x
        upstreams:
          app: { targets: ["%s"] }
        routes:
          - id: scripted
            path: /s/{tenant}/**
            upstream: app
            policies:
              - { type: script, config: { file: %s, timeout: 200ms %s } }
        """.formatted(scripts, backend.url(), file, extra).replace("reloadInterval: x\n", "");
  }

  private void start(String file, String extra) {
    gw = TestGateway.start(dir, config(file, extra));
  }

  @Test
  void logCallsWriteTheScriptsMessage() throws Exception {
    script("probe.js", """
        function onRequest(exchange) {
          log.info('literal message');
          log.warn('tenant ' + exchange.request.pathParams.tenant);
          log.error(42);
        }
        """);
    start("probe.js", "");
    try (LogCapture logs = LogCapture.of("io.sluice.script")) {
      assertThat(client.get(gw.port(), "/s/acme/x").status()).isEqualTo(200);
      assertThat(logs.lines()).containsExactly(
          "INFO [probe.js] literal message", "WARN [probe.js] tenant acme", "ERROR [probe.js] 42");
    }
  }

  @Test
  void aScriptErrorIsLoggedWithFileLineAndColumn() throws Exception {
    script("thrower.js", """
        function onRequest(exchange) {
          const x = 1;
          throw new Error('boom');
        }
        """);
    start("thrower.js", "");
    try (LogCapture logs = LogCapture.of("io.sluice.gateway.platform.script")) {
      assertThat(client.get(gw.port(), "/s/a/b").key()).isEqualTo("SCRIPT_ERROR");
      assertThat(logs.lines()).anySatisfy(line ->
          assertThat(line).startsWith("ERROR request ").endsWith("script error at thrower.js:3:9: Error: boom"));
    }
  }

  /** A reload that moves {@code scripts.dir} compiles its scripts from the new directory, not the serving one. */
  @Test
  void aReloadThatMovesTheScriptsDirectoryServesTheScriptsFromThere() throws Exception {
    Path b = Files.createDirectories(dir.resolve("policies-b"));
    String tagging = """
        function onRequest(exchange) {}
        function onResponse(exchange) { exchange.response.setHeader('X-From', '%s'); }
        """;
    script("tag.js", tagging.formatted("a"));
    Files.writeString(b.resolve("tag.js"), tagging.formatted("b"));
    String routes = """
        scripts: { dir: %s, watch: false }
        upstreams:
          app: { targets: ["%s"] }
        routes:
          - { id: tagged, path: /t/**, upstream: app, policies: [ { type: script, config: { file: tag.js } } ] }
        """;
    gw = TestGateway.start(dir, routes.formatted(scripts, backend.url()));
    assertThat(client.get(gw.port(), "/t/x").headers().get("X-From")).isEqualTo("a");
    gw.rewrite(routes.formatted(b, backend.url()));
    assertThat(client.send(HttpMethod.POST, gw.adminPort(), "/admin/reload",
        MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + TestGateway.ADMIN_TOKEN), null)
        .status()).isEqualTo(200);
    assertThat(client.get(gw.port(), "/t/x").headers().get("X-From")).isEqualTo("b");
  }

  @Test
  void onResponseRunsOnlyWhenThereIsAResponse() throws Exception {
    // The docs' example: onRequest refuses requests without a version; onResponse echoes it.
    script("api-version.js", """
        function onRequest(exchange) {
          const version = exchange.request.header('X-Api-Version');
          if (version === null) {
            exchange.reject(400, 'API_VERSION_MISSING', 'send X-Api-Version');
            return;
          }
          exchange.put('api.version', version);
        }
        function onResponse(exchange) {
          exchange.response.setHeader('X-Api-Version', exchange.get('api.version'));
        }
        """);
    gw = TestGateway.start(dir, """
        scripts: { dir: %s }
        upstreams:
          app: { targets: ["%s"] }
        routes:
          - { id: own, path: /own/**, upstream: app,
              policies: [ { type: script, config: { file: api-version.js } } ] }
          - { id: later, path: /later/**, upstream: app,
              policies: [ { type: script, config: { file: api-version.js } },
                          { type: misbehave, stage: cache, config: { mode: reject } } ] }
        """.formatted(scripts, backend.url()));
    try (LogCapture logs = LogCapture.of("io.sluice")) {
      Reply refused = client.get(gw.port(), "/own/x");
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.key()).isEqualTo("API_VERSION_MISSING");
      Reply refusedLater = client.get(gw.port(), "/later/x", MultiMap.caseInsensitiveMultiMap().add("X-Api-Version", "2"));
      assertThat(refusedLater.key()).isEqualTo("TEST_FORBIDDEN");
      assertThat(refusedLater.headers().get("X-Api-Version")).as("onResponse skipped after a rejection").isNull();
      Reply served = client.get(gw.port(), "/own/x", MultiMap.caseInsensitiveMultiMap().add("X-Api-Version", "2"));
      assertThat(served.status()).isEqualTo(200);
      assertThat(served.headers().get("X-Api-Version")).isEqualTo("2");
      assertThat(logs.lines()).noneMatch(line -> line.contains("script error"));
    }
    assertThat(backend.hits()).isEqualTo(1);
  }

  @Test
  void aMissingScriptFileIsAConfigErrorSayingItDoesNotExist() {
    assertThatThrownBy(() -> start("nope.js", ""))
        .isInstanceOf(io.sluice.gateway.platform.config.InvalidConfigException.class)
        .hasMessageContaining("routes[scripted].policies[0].config.file: 'nope.js' does not exist (looked for "
            + scripts.toAbsolutePath().resolve("nope.js") + ")");
  }

  @Test
  void aScriptNoRouteUsesChangesNothing() throws Exception {
    script("version.js", "function onResponse(exchange) { exchange.response.setHeader('X-Version', '1'); }\n");
    gw = TestGateway.startEdited(dir, config("version.js", ""), text -> text.replace("watch: false", "watch: false\n  interval: 100ms"));
    try (LogCapture logs = LogCapture.of("io.sluice.gateway.platform.Gateway")) {
      // Positive control: the watcher does see the script in use.
      script("version.js", "function onResponse(exchange) { exchange.response.setHeader('X-Version', '2'); }\n");
      await().atMost(Duration.ofSeconds(10)).until(() -> "2".equals(client.get(gw.port(), "/s/a/b").headers().get("X-Version")));
      await().atMost(Duration.ofSeconds(5)).until(() -> reloads(logs) == 1);

      script("unused.js", "function onRequest(exchange) { }\n");
      script("also-unused.js", "this is not javascript\n");
      // Ten watcher intervals without a reload.
      await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> reloads(logs) == 1);
      assertThat(client.get(gw.port(), "/s/a/b").headers().get("X-Version")).isEqualTo("2");
      assertThat(scriptReloadsApplied()).as("sluice_script_reloads_total{outcome=applied}: the one reload").isEqualTo(1.0);
    }
  }

  /** {@code sluice_script_reloads_total{outcome="applied"}} from {@code GET /metrics}. */
  private double scriptReloadsApplied() {
    String text = client.get(gw.adminPort(), "/metrics",
        MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + TestGateway.ADMIN_TOKEN)).body();
    return MetricsIT.sample(text, "sluice_script_reloads_total", "outcome=\"applied\"");
  }

  private static long reloads(LogCapture logs) {
    return logs.lines().stream().filter(l -> l.contains("configuration reloaded (script change)")).count();
  }

  @Test
  void adminRoutesShowsEachPolicysEffectiveConfigWithSecretsMasked() throws Exception {
    script("tenant.js", "function onRequest(exchange) { }\n");
    start("tenant.js", ", settings: { header: X-Tenant, apiKey: s3cr3t, upstreamAuth: { password: hunter2 } }");
    Reply routes = client.get(gw.adminPort(), "/admin/routes",
        MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + TestGateway.ADMIN_TOKEN));
    var config = routes.json().getJsonArray("routes").getJsonObject(0).getJsonArray("policies").getJsonObject(0)
        .getJsonObject("config");
    assertThat(config.getString("file")).isEqualTo("tenant.js");
    assertThat(config.getString("timeout")).isEqualTo("200ms");
    assertThat(config.getJsonObject("settings").getString("header")).isEqualTo("X-Tenant");
    assertThat(config.getJsonObject("settings").getString("apiKey")).isEqualTo("******");
    assertThat(config.getJsonObject("settings").getJsonObject("upstreamAuth").getString("password")).isEqualTo("******");
    assertThat(routes.body()).doesNotContain("s3cr3t", "hunter2");
  }

  @Test
  void rewritesHeadersWithConfigAndPathParams() throws Exception {
    script("tenant.js", """
        function onRequest(exchange) {
          exchange.request.setHeader(config.header, exchange.request.pathParams.tenant + '-' + exchange.request.method);
          exchange.put('tenant', exchange.request.pathParams.tenant);
        }
        function onResponse(exchange) {
          exchange.response.setHeader('X-Script', 'ran for ' + exchange.get('tenant') + ' status ' + exchange.response.status);
        }
        """);
    start("tenant.js", ", settings: { header: X-Tenant }");
    Reply reply = client.get(gw.port(), "/s/acme/orders");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.headers().get("X-Seen-Tenant")).isEqualTo("acme-GET");
    assertThat(reply.headers().get("X-Script")).isEqualTo("ran for acme status 200");
  }

  /** A script sees the consumer the authentication stage chose (here the route's anonymous consumer). */
  @Test
  void seesTheAuthenticatedConsumer() throws Exception {
    script("who.js", "function onRequest(exchange) { exchange.request.setHeader('X-Tenant', 'consumer ' + exchange.consumer); }\n");
    String config = config("who.js", "");
    assertThat(config).contains("    upstream: app\n");
    gw = TestGateway.start(dir, "consumers: [{ id: guest }]\n"
        + config.replace("    upstream: app\n", "    upstream: app\n    authentication: { anonymous: guest }\n"));
    assertThat(client.get(gw.port(), "/s/acme/x").headers().get("X-Seen-Tenant")).isEqualTo("consumer guest");
  }

  @Test
  void sharesAttributesWithJavaPoliciesInTheSameChain() throws Exception {
    script("read-tenant.js", """
        function onRequest(exchange) {
          exchange.request.setHeader('X-Tenant', exchange.get('tenant') + '+js');
        }
        """);
    gw = TestGateway.start(dir, config("read-tenant.js", "").replace(
        "      - { type: script", "      - { type: misbehave, config: { mode: put_tenant } }\n      - { type: script"));
    assertThat(client.get(gw.port(), "/s/acme/x").headers().get("X-Seen-Tenant")).isEqualTo("from-java+js");
  }

  @Test
  void aScriptHoardingMemoryIsStoppedAndTheGatewayLives() throws Exception {
    script("hoard.js", """
        function onRequest(exchange) {
          const hoard = [];
          while (true) { hoard.push(new Array(100000).fill(7)); }
        }
        """);
    start("hoard.js", "");
    Reply reply = client.get(gw.port(), "/s/a/b");
    assertThat(reply.status()).isEqualTo(500);
    assertThat(reply.key()).isIn("SCRIPT_TIMEOUT", "SCRIPT_ERROR");
    assertThat(client.get(gw.port(), "/s/a/b").status()).as("the next request is served").isEqualTo(500);
    assertThat(client.get(gw.port(), "/other").status()).as("the gateway keeps serving").isEqualTo(404);
  }

  @Test
  void transformsJsonBodiesBothWays() throws Exception {
    TestBackend json = TestBackend.start(vertx, request -> request.body().onSuccess(body -> request.response()
        .putHeader("Content-Type", "application/json")
        .end("{\"received\":" + body + ",\"secret\":\"s3cr3t\"}")));
    try {
      script("json.js", """
          function onRequest(exchange) {
            const order = JSON.parse(exchange.request.body);
            order.total = order.items.reduce((a, b) => a + b, 0);
            exchange.request.setBody(JSON.stringify(order));
          }
          function onResponse(exchange) {
            const answer = JSON.parse(exchange.response.body);
            delete answer.secret;
            exchange.response.setBody(JSON.stringify(answer));
          }
          """);
      gw = TestGateway.start(dir, config("json.js", ", maxBodySize: 1KB").replace(backend.url(), json.url()));
      Reply reply = client.send(HttpMethod.POST, gw.port(), "/s/acme/orders", MultiMap.caseInsensitiveMultiMap(),
          io.vertx.core.buffer.Buffer.buffer("{\"items\":[1,2,3]}"));
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.json().getJsonObject("received").getInteger("total")).isEqualTo(6);
      assertThat(reply.body()).doesNotContain("secret");

      Reply tooBig = client.send(HttpMethod.POST, gw.port(), "/s/acme/orders", MultiMap.caseInsensitiveMultiMap(),
          io.vertx.core.buffer.Buffer.buffer("{\"items\":[" + "1,".repeat(1000) + "1]}"));
      assertThat(tooBig.status()).isEqualTo(413);
      assertThat(tooBig.key()).isEqualTo("BODY_TOO_LARGE");
    } finally {
      json.close();
    }
  }

  @Test
  void asyncScriptsUseTheClusterFacadeThroughPromises() throws Exception {
    script("quota.js", """
        async function onRequest(exchange) {
          const n = await cluster.increment('calls:' + exchange.request.pathParams.tenant, 1, 60000);
          if (n > config.limit) {
            exchange.reject(429, 'QUOTA_EXCEEDED', 'limit ' + config.limit);
            return;
          }
          await cluster.put('last', exchange.id, 60000);
          exchange.request.setHeader('X-Tenant', 'call-' + n + '-' + (await cluster.get('last') === exchange.id));
        }
        """);
    start("quota.js", ", settings: { limit: 2 }");
    assertThat(client.get(gw.port(), "/s/acme/x").headers().get("X-Seen-Tenant")).isEqualTo("call-1-true");
    assertThat(client.get(gw.port(), "/s/acme/x").headers().get("X-Seen-Tenant")).isEqualTo("call-2-true");
    Reply third = client.get(gw.port(), "/s/acme/x");
    assertThat(third.status()).isEqualTo(429);
    assertThat(third.key()).isEqualTo("QUOTA_EXCEEDED");
    assertThat(client.get(gw.port(), "/s/other/x").status()).as("another tenant has its own counter").isEqualTo(200);
    assertThat(backend.hits()).isEqualTo(3);
  }

  @Test
  void aRejectedPromiseIsAScriptError() throws Exception {
    script("throws-later.js", """
        async function onRequest(exchange) {
          await cluster.increment('x', 1, 1000);
          throw new Error('after await');
        }
        """);
    start("throws-later.js", "");
    Reply reply = client.get(gw.port(), "/s/a/b");
    assertThat(reply.status()).isEqualTo(500);
    assertThat(reply.key()).isEqualTo("SCRIPT_ERROR");
    assertThat(backend.hits()).isZero();
  }

  @Test
  void rejectsWithTheScriptsKey() throws Exception {
    script("gate.js", """
        function onRequest(exchange) {
          if (!exchange.request.header('X-Pass')) exchange.reject(401, 'PASS_MISSING', 'bring a pass', { 'WWW-Authenticate': 'Pass' });
        }
        """);
    start("gate.js", "");
    Reply refused = client.get(gw.port(), "/s/acme/x");
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.key()).isEqualTo("PASS_MISSING");
    assertThat(refused.headers().get("WWW-Authenticate")).isEqualTo("Pass");
    assertThat(backend.hits()).isZero();
    assertThat(client.get(gw.port(), "/s/acme/x", MultiMap.caseInsensitiveMultiMap().add("X-Pass", "1")).status())
        .isEqualTo(200);
  }

  @Test
  void everySandboxEscapeIsRefused() throws Exception {
    String[] attempts = {
      "Java.type('java.lang.System').exit(1)",
      "Polyglot.eval('python', '1')",
      "load('/etc/passwd')",
      "require('fs')",
      "new java.io.File('/tmp')",
      "Packages.java.lang.Runtime.getRuntime().exec('id')",
      "quit()",
      "new Worker('x.js')",
      "readFile('/etc/passwd')",
    };
    StringBuilder js = new StringBuilder("function onRequest(exchange) {\n  var which = exchange.request.header('X-Try');\n");
    for (int i = 0; i < attempts.length; i++) {
      js.append("  if (which === '").append(i).append("') { ").append(attempts[i]).append("; }\n");
    }
    js.append("}\n");
    script("escape.js", js.toString());
    start("escape.js", "");
    for (int i = 0; i < attempts.length; i++) {
      Reply reply = client.get(gw.port(), "/s/x/y", MultiMap.caseInsensitiveMultiMap().add("X-Try", String.valueOf(i)));
      assertThat(reply.status()).as(attempts[i]).isEqualTo(500);
      assertThat(reply.key()).as(attempts[i]).isEqualTo("SCRIPT_ERROR");
    }
    assertThat(backend.hits()).isZero();
    assertThat(client.get(gw.port(), "/s/x/y").status()).as("the gateway is unharmed").isEqualTo(200);
  }

  @Test
  void interruptsRunawayScriptsAndStaysUsable() throws Exception {
    script("spin.js", """
        function onRequest(exchange) {
          if (exchange.request.header('X-Spin')) { while (true) {} }
        }
        """);
    start("spin.js", "");
    Reply spun = client.get(gw.port(), "/s/a/b", MultiMap.caseInsensitiveMultiMap().add("X-Spin", "1"));
    assertThat(spun.status()).isEqualTo(500);
    assertThat(spun.key()).isEqualTo("SCRIPT_TIMEOUT");
    for (int i = 0; i < 5; i++) {
      assertThat(client.get(gw.port(), "/s/a/b").status()).as("the context is usable after an interrupt").isEqualTo(200);
    }
  }

  @Test
  void aShorterLimitThanAnySoFarIsEnforcedAtItsOwnDeadline() throws Exception {
    script("spin.js", """
        function onRequest(exchange) {
          if (exchange.request.header('X-Spin')) { while (true) {} }
        }
        """);
    gw = TestGateway.start(dir, """
        scripts: { dir: %s }
        upstreams:
          app: { targets: ["%s"] }
        routes:
          - { id: patient, path: /patient/**, upstream: app, timeouts: { policy: 30s },
              policies: [ { type: script, config: { file: spin.js, timeout: 8s } } ] }
          - { id: strict, path: /strict/**, upstream: app,
              policies: [ { type: script, config: { file: spin.js, timeout: 100ms } } ] }
        """.formatted(scripts, backend.url()));
    // The watchdog now sleeps for up to 8 s between scans; the strict route's first call must wake it.
    assertThat(client.get(gw.port(), "/patient/x").status()).isEqualTo(200);
    long start = System.nanoTime();
    Reply spun = client.get(gw.port(), "/strict/x", MultiMap.caseInsensitiveMultiMap().add("X-Spin", "1"));
    long tookMillis = (System.nanoTime() - start) / 1_000_000;
    assertThat(spun.key()).isEqualTo("SCRIPT_TIMEOUT");
    assertThat(tookMillis).as("stopped near its own limit (100 ms, 250 ms on a first call), not the 8 s one").isLessThan(4_000);
  }

  @Test
  void aContinuationRunningPastTheLimitAfterAnAwaitIsAScriptTimeoutAtOnce() throws Exception {
    script("late-spin.js", """
        async function onRequest(exchange) {
          await cluster.increment('spins', 1, 60000);
          if (exchange.request.header('X-Spin')) { while (true) {} }
        }
        """);
    start("late-spin.js", "");
    Reply spun = client.get(gw.port(), "/s/a/b", MultiMap.caseInsensitiveMultiMap().add("X-Spin", "1"));
    assertThat(spun.status()).isEqualTo(500);
    assertThat(spun.key()).as("not POLICY_ERROR after timeouts.policy").isEqualTo("SCRIPT_TIMEOUT");
    for (int i = 0; i < 3; i++) {
      assertThat(client.get(gw.port(), "/s/a/b").status()).as("the context is usable after an interrupt").isEqualTo(200);
    }
  }

  @Test
  void reportsErrorsAndRefusesSyntaxErrorsAtLoad() throws Exception {
    script("boom.js", """
        function onRequest(exchange) {
          undefinedFunction();
        }
        """);
    start("boom.js", "");
    Reply failed = client.get(gw.port(), "/s/a/b");
    assertThat(failed.status()).isEqualTo(500);
    assertThat(failed.key()).isEqualTo("SCRIPT_ERROR");
    assertThat(failed.body()).doesNotContain("undefinedFunction");

    script("broken.js", "function onRequest(exchange) {\n  let x = ;\n}\n");
    gw.rewrite(config("broken.js", ""));
    Reply refused = client.send(HttpMethod.POST, gw.adminPort(), "/admin/reload",
        MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + TestGateway.ADMIN_TOKEN), null);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().getJsonArray("errors").getString(0))
        .startsWith("routes[scripted].policies[0].config.file: broken.js:2:");
  }

  @Test
  void editingAScriptUnderLoadSwapsItWithoutFailedRequests() throws Exception {
    script("version.js", "function onResponse(exchange) { exchange.response.setHeader('X-Version', '1'); }\n");
    start("version.js", "");
    Files.writeString(gw.configFile, Files.readString(gw.configFile).replace("watch: false", "watch: true\n  interval: 100ms"));
    gw.gateway.reload("test").toCompletionStage().toCompletableFuture().get();

    SteadyLoad load = SteadyLoad.start(vertx, 4, gw.port(), "/s/a/b",
        r -> r.status() == 200 && r.headers().get("X-Version") != null);
    Thread.sleep(300);
    script("version.js", "function onResponse(exchange) { exchange.response.setHeader('X-Version', '2'); }\n");
    await().atMost(Duration.ofSeconds(15)).until(() -> "2".equals(client.get(gw.port(), "/s/a/b").headers().get("X-Version")));
    script("version.js", "function onResponse(exchange) { this is not javascript }\n");
    Thread.sleep(1500);
    load.stop();
    assertThat(load.failures()).isEmpty();
    assertThat(load.ok()).isGreaterThan(20);
    assertThat(client.get(gw.port(), "/s/a/b").headers().get("X-Version")).as("a broken edit is refused").isEqualTo("2");
  }
}
