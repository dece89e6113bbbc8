// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import static io.sluice.gateway.platform.TestClient.headers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.gateway.platform.TestClient.Reply;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tracing end to end: a real gateway, a real backend that records the headers it gets, and a real HTTP server
 * on an ephemeral port standing in for the OTLP collector.
 */
@ExtendWith(VertxExtension.class)
class TracingIT {

  static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String PARENT = "00f067aa0ba902b7";
  static final String VALID = "00-" + TRACE + "-" + PARENT + "-01";

  @TempDir Path dir;
  Vertx vertx;
  TestClient client;
  TestBackend backend;
  TestGateway gw;
  HttpServer collector;
  /** The export requests the collector received, as sent. */
  final List<JsonObject> exports = new CopyOnWriteArrayList<>();
  final List<String> exportContentTypes = new CopyOnWriteArrayList<>();
  final List<String> exportApiKeys = new CopyOnWriteArrayList<>();
  /** What the collector answers (a refusing collector: 503). */
  volatile int collectorStatus = 200;
  /** While set, the collector holds export requests unanswered (a stuck collector: the exporter's queue fills). */
  volatile boolean holdExports;
  final List<io.vertx.core.http.HttpServerRequest> held = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.client = new TestClient(vertx);
    this.backend = TestBackend.start(vertx, request -> request.body().onSuccess(b -> request.response().end("ok")));
    collector = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      if (request.path().equals("/v1/traces")) {
        exportContentTypes.add(String.valueOf(request.getHeader("Content-Type")));
        exportApiKeys.add(String.valueOf(request.getHeader("X-Api-Key")));
        exports.add(body.toJsonObject());
      }
      if (holdExports) {
        held.add(request);
        return;
      }
      request.response().setStatusCode(collectorStatus).putHeader("Content-Type", "application/json").end("{}");
    }));
    collector.listen(0, "127.0.0.1").await();
  }

  @AfterEach
  void tearDown() throws Exception {
    releaseExports();
    if (gw != null) {
      gw.close();
    }
    backend.close();
    collector.close().await();
    client.close();
  }

  private String endpoint() {
    return "http://127.0.0.1:" + collector.actualPort() + "/v1/traces";
  }

  private void gateway(String tracing, String policies) {
    gw = TestGateway.start(dir, """
        tracing: %s
        upstreams:
          app: { targets: ["%s"] }
        routes:
          - id: r
            path: /**
            upstream: app
            policies: %s
        """.formatted(tracing, backend.url(), policies));
  }

  private void tracingOn(String extra) {
    gateway("{ enabled: true, endpoint: \"%s\", exportInterval: 50ms, serviceName: edge, headers: { X-Api-Key: k1 } %s }"
        .formatted(endpoint(), extra), "[ { type: trace, config: { name: t } } ]");
  }

  /** Every span exported so far. */
  private List<JsonObject> spans() {
    List<JsonObject> all = new ArrayList<>();
    for (JsonObject export : exports) {
      for (Object rs : export.getJsonArray("resourceSpans")) {
        for (Object ss : ((JsonObject) rs).getJsonArray("scopeSpans")) {
          for (Object span : ((JsonObject) ss).getJsonArray("spans")) {
            all.add((JsonObject) span);
          }
        }
      }
    }
    return all;
  }

  private List<JsonObject> spansOf(String traceId) {
    return spans().stream().filter(s -> s.getString("traceId").equals(traceId)).collect(Collectors.toList());
  }

  private static Map<String, Object> attributes(JsonObject span) {
    Map<String, Object> out = new java.util.HashMap<>();
    for (Object o : span.getJsonArray("attributes")) {
      JsonObject a = (JsonObject) o;
      JsonObject v = a.getJsonObject("value");
      out.put(a.getString("key"), v.containsKey("stringValue") ? v.getString("stringValue") : v.getString("intValue"));
    }
    return out;
  }

  private List<JsonObject> accessLog() throws Exception {
    if (!Files.exists(gw.accessLog)) {
      return List.of();
    }
    return Files.readAllLines(gw.accessLog).stream().map(JsonObject::new).collect(Collectors.toList());
  }

  /** The collector answers the export requests it held, and every later one at once. */
  private void releaseExports() {
    holdExports = false;
    vertx.runOnContext(v -> {
      while (!held.isEmpty()) {
        held.remove(0).response().setStatusCode(collectorStatus).end("{}");
      }
    });
  }

  private static final MultiMap ADMIN = headers("Authorization", "Bearer " + TestGateway.ADMIN_TOKEN);

  /** The value of the {@code /metrics} sample {@code name} with {@code label} among its labels; -1 without one. */
  private double metric(String name, String label) {
    Reply scrape = client.get(gw.adminPort(), "/metrics", ADMIN);
    assertThat(scrape.status()).isEqualTo(200);
    for (String line : scrape.body().split("\n")) {
      if (line.startsWith(name + "{") && line.contains(label)) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return -1;
  }

  private double exported() {
    return metric("sluice_tracing_spans_exported_total", "service=");
  }

  private double dropped(String reason) {
    return metric("sluice_tracing_spans_dropped_total", "reason=\"" + reason + "\"");
  }

  @Test
  void continuesAValidTraceparentWithTheGatewaysSpanAsParentAndExportsTheSpans() throws Exception {
    tracingOn("");
    Reply reply = client.get(gw.port(), "/orders/1", headers("traceparent", VALID, "tracestate", "congo=t61rcWkgMzE"));
    assertThat(reply.status()).isEqualTo(200);

    TestBackend.Received got = backend.next();
    String upstream = got.headers().get("traceparent");
    assertThat(upstream).as("same trace, a new parent, still sampled").startsWith("00-" + TRACE + "-").endsWith("-01");
    String upstreamParent = upstream.substring(36, 52);
    assertThat(upstreamParent).isNotEqualTo(PARENT).matches("[0-9a-f]{16}").isNotEqualTo("0000000000000000");
    assertThat(got.headers().getAll("traceparent")).hasSize(1);
    assertThat(got.headers().get("tracestate")).as("passed on unchanged").isEqualTo("congo=t61rcWkgMzE");

    await().atMost(Duration.ofSeconds(10)).until(() -> spansOf(TRACE).size() >= 3);
    List<JsonObject> spans = spansOf(TRACE);
    JsonObject server = spans.stream().filter(s -> s.getInteger("kind") == 2).findFirst().orElseThrow();
    JsonObject attempt = spans.stream().filter(s -> s.getInteger("kind") == 3).findFirst().orElseThrow();
    JsonObject policy = spans.stream().filter(s -> s.getInteger("kind") == 1).findFirst().orElseThrow();
    assertThat(spans).hasSize(3);

    assertThat(server.getString("name")).isEqualTo("GET r");
    assertThat(server.getString("parentSpanId")).as("the client's span").isEqualTo(PARENT);
    assertThat(server.getString("traceState")).isEqualTo("congo=t61rcWkgMzE");
    assertThat(attributes(server)).containsEntry("sluice.route", "r").containsEntry("http.response.status_code", "200")
        .containsEntry("http.request.method", "GET").containsEntry("url.path", "/orders/1")
        .containsEntry("sluice.upstream", "127.0.0.1:" + backend.port());
    assertThat(server.getJsonObject("status").getInteger("code")).isZero();
    long serverStart = Long.parseLong(server.getString("startTimeUnixNano"));
    long serverEnd = Long.parseLong(server.getString("endTimeUnixNano"));
    assertThat(serverEnd).isGreaterThanOrEqualTo(serverStart);

    assertThat(attempt.getString("name")).isEqualTo("GET");
    assertThat(attempt.getString("parentSpanId")).isEqualTo(server.getString("spanId"));
    assertThat(attempt.getString("spanId")).as("the upstream's parent is the attempt's span").isEqualTo(upstreamParent);
    assertThat(attributes(attempt)).containsEntry("server.address", "127.0.0.1")
        .containsEntry("server.port", String.valueOf(backend.port())).containsEntry("http.response.status_code", "200")
        .containsEntry("sluice.attempt", "1");
    assertThat(Long.parseLong(attempt.getString("startTimeUnixNano"))).isBetween(serverStart, serverEnd);

    assertThat(policy.getString("name")).isEqualTo("policy trace");
    assertThat(policy.getString("parentSpanId")).isEqualTo(server.getString("spanId"));
    assertThat(attributes(policy)).containsEntry("sluice.policy.type", "trace").containsEntry("sluice.policy.index", "0");

    JsonObject resource = exports.get(0).getJsonArray("resourceSpans").getJsonObject(0).getJsonObject("resource");
    assertThat(resource.getJsonArray("attributes").getJsonObject(0).encode())
        .isEqualTo("{\"key\":\"service.name\",\"value\":{\"stringValue\":\"edge\"}}");
    assertThat(exportContentTypes).allMatch(t -> t.equals("application/json"));
    assertThat(exportApiKeys).allMatch(k -> k.equals("k1"));

    await().atMost(Duration.ofSeconds(5)).until(() -> !accessLog().isEmpty());
    assertThat(accessLog().get(0).getString("traceId")).isEqualTo(TRACE);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01", // uppercase hex
    "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // version ff
    "00-00000000000000000000000000000000-00f067aa0ba902b7-01", // all-zero trace id
    "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", // all-zero parent id
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra", // version 00 with more
    "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01", // trace id one digit short
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1", // flags one digit
    "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01", // separators
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g", // flags not hex
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902zz-01", // parent not hex
    "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x", // a later version: more only after '-'
    "garbage"
  })
  void anInvalidTraceparentStartsANewTraceAndDropsTracestate(String invalid) throws Exception {
    tracingOn("");
    assertThat(client.get(gw.port(), "/x", headers("traceparent", invalid, "tracestate", "congo=t61rcWkgMzE")).status())
        .isEqualTo(200);
    TestBackend.Received got = backend.next();
    String upstream = got.headers().get("traceparent");
    assertThat(upstream).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01").doesNotContain(TRACE.substring(0, 20));
    assertThat(got.headers().contains("tracestate")).as("tracestate of an invalid traceparent is not passed on").isFalse();
    String newTrace = upstream.substring(3, 35);
    await().atMost(Duration.ofSeconds(10)).until(() -> !spansOf(newTrace).isEmpty());
    JsonObject server = spansOf(newTrace).stream().filter(s -> s.getInteger("kind") == 2).findFirst().orElseThrow();
    assertThat(server.containsKey("parentSpanId")).as("a root span").isFalse();
  }

  @Test
  void aLaterVersionIsReadByItsVersion00Fields() throws Exception {
    tracingOn("");
    String future = "cc-" + TRACE + "-" + PARENT + "-01-what-the-future-will-bring";
    client.get(gw.port(), "/x", headers("traceparent", future));
    assertThat(backend.next().headers().get("traceparent")).as("continued, re-sent as version 00")
        .startsWith("00-" + TRACE + "-").endsWith("-01");
  }

  @Test
  void withoutTraceparentATraceIsCreatedAndLogged() throws Exception {
    tracingOn("");
    client.get(gw.port(), "/x");
    String upstream = backend.next().headers().get("traceparent");
    assertThat(upstream).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    await().atMost(Duration.ofSeconds(5)).until(() -> !accessLog().isEmpty());
    assertThat(accessLog().get(0).getString("traceId")).isEqualTo(upstream.substring(3, 35));
  }

  @Test
  void sampleRatioZeroExportsNothingButStillPropagates() throws Exception {
    tracingOn(", sampleRatio: 0");
    client.get(gw.port(), "/new-trace");
    String unsampled = backend.next().headers().get("traceparent");
    assertThat(unsampled).as("propagated, not sampled").matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00");
    // Parent-based: a client that sampled its trace is followed; its spans come after the first request's in the
    // exporter's queue, so once they arrived the first request's would have too.
    client.get(gw.port(), "/sampled-by-the-client", headers("traceparent", VALID));
    assertThat(backend.next().headers().get("traceparent")).endsWith("-01");
    await().atMost(Duration.ofSeconds(10)).until(() -> !spansOf(TRACE).isEmpty());
    assertThat(spans()).allMatch(s -> s.getString("traceId").equals(TRACE));
    assertThat(spansOf(unsampled.substring(3, 35))).isEmpty();
  }

  @Test
  void aClientsUnsampledFlagIsFollowed() throws Exception {
    tracingOn("");
    client.get(gw.port(), "/x", headers("traceparent", "00-" + TRACE + "-" + PARENT + "-00"));
    assertThat(backend.next().headers().get("traceparent")).startsWith("00-" + TRACE + "-").endsWith("-00");
    client.get(gw.port(), "/y");
    String sampled = backend.next().headers().get("traceparent").substring(3, 35);
    await().atMost(Duration.ofSeconds(10)).until(() -> !spansOf(sampled).isEmpty());
    assertThat(spansOf(TRACE)).isEmpty();
  }

  @Test
  void withoutAnEndpointTracesPropagateAndAreLoggedButNotExported() throws Exception {
    gateway("{ enabled: true }", "[]");
    client.get(gw.port(), "/x", headers("traceparent", VALID));
    assertThat(backend.next().headers().get("traceparent")).startsWith("00-" + TRACE + "-").doesNotContain(PARENT);
    await().atMost(Duration.ofSeconds(5)).until(() -> !accessLog().isEmpty());
    assertThat(accessLog().get(0).getString("traceId")).isEqualTo(TRACE);
  }

  @Test
  void tracingOffPassesTraceHeadersThroughUntouchedAndLogsNoTraceId() throws Exception {
    gateway("{ enabled: false, endpoint: \"" + endpoint() + "\" }", "[]");
    client.get(gw.port(), "/x", headers("traceparent", "00-" + TRACE.toUpperCase() + "-" + PARENT + "-01",
        "tracestate", "a=b"));
    TestBackend.Received got = backend.next();
    assertThat(got.headers().get("traceparent")).isEqualTo("00-" + TRACE.toUpperCase() + "-" + PARENT + "-01");
    assertThat(got.headers().get("tracestate")).isEqualTo("a=b");
    gw.close();
    List<JsonObject> lines = accessLog();
    gw = null;
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).containsKey("traceId")).isFalse();
    assertThat(exports).isEmpty();
  }

  @Test
  void aFailedAttemptIsAClientSpanWithItsError() throws Exception {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    gw = TestGateway.start(dir, """
        tracing: { enabled: true, endpoint: "%s", exportInterval: 50ms }
        upstreams:
          app: { targets: ["http://127.0.0.1:%d"] }
        routes:
          - { id: r, path: /**, upstream: app }
        """.formatted(endpoint(), closed));
    assertThat(client.get(gw.port(), "/x", headers("traceparent", VALID)).status()).isEqualTo(502);
    await().atMost(Duration.ofSeconds(10)).until(() -> spansOf(TRACE).size() >= 2);
    JsonObject server = spansOf(TRACE).stream().filter(s -> s.getInteger("kind") == 2).findFirst().orElseThrow();
    JsonObject attempt = spansOf(TRACE).stream().filter(s -> s.getInteger("kind") == 3).findFirst().orElseThrow();
    assertThat(server.getJsonObject("status").getInteger("code")).isEqualTo(2);
    assertThat(attributes(server)).containsEntry("http.response.status_code", "502")
        .containsEntry("error.type", "UPSTREAM_UNAVAILABLE");
    assertThat(attributes(attempt)).containsEntry("error.type", "UPSTREAM_UNAVAILABLE")
        .doesNotContainKey("http.response.status_code");
    assertThat(attempt.getJsonObject("status").getInteger("code")).isEqualTo(2);
  }

  @Test
  void tracingIsRestartOnly() throws Exception {
    gateway("{ enabled: true }", "[]");
    try (LogCapture logs = LogCapture.of("io.sluice.gateway.platform")) {
      gw.rewrite("""
          tracing: { enabled: false }
          upstreams:
            app: { targets: ["%s"] }
          routes:
            - { id: r, path: /**, upstream: app }
          """.formatted(backend.url()));
      gw.gateway.reload("test").toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(logs.lines()).anyMatch(l -> l.contains("changes to [tracing] take effect at the next restart"));
    }
    client.get(gw.port(), "/x", headers("traceparent", VALID));
    assertThat(backend.next().headers().get("traceparent")).as("still the tracing it started with")
        .startsWith("00-" + TRACE + "-").doesNotContain(PARENT);
  }

  // ---- the exporter's meters

  @Test
  void exportedSpansAreCountedOnTheMetricsScrape() throws Exception {
    tracingOn("");
    assertThat(client.get(gw.port(), "/x", headers("traceparent", VALID)).status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> spansOf(TRACE).size() >= 3);
    // A server span, an upstream attempt and the trace policy: the counter counts spans, not exchanges.
    await().atMost(Duration.ofSeconds(10)).until(() -> exported() == 3.0);
    assertThat(dropped("queue_full")).isZero();
    assertThat(dropped("export_failed")).isZero();
  }

  @Test
  void aCollectorThatRefusesCountsItsSpansAsExportFailed() throws Exception {
    collectorStatus = 503;
    gateway("{ enabled: true, endpoint: \"%s\", exportInterval: 50ms }".formatted(endpoint()), "[]");
    for (int i = 0; i < 3; i++) {
      assertThat(client.get(gw.port(), "/x" + i).status()).isEqualTo(200);
    }
    // Three exchanges, each a server span and an upstream attempt: six spans refused, none exported.
    await().atMost(Duration.ofSeconds(10)).until(() -> dropped("export_failed") == 6.0);
    assertThat(exports).as("the collector did get them, and refused").isNotEmpty();
    assertThat(exported()).isZero();
    assertThat(dropped("queue_full")).isZero();
  }

  @Test
  void anUnreachableCollectorCountsItsSpansAsExportFailed() throws Exception {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    gateway("{ enabled: true, endpoint: \"http://127.0.0.1:%d/v1/traces\", exportInterval: 50ms }".formatted(closed),
        "[]");
    assertThat(client.get(gw.port(), "/x").status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> dropped("export_failed") == 2.0);
    assertThat(exported()).isZero();
  }

  @Test
  void aFullQueueCountsTheSpansItDropsAsQueueFull() throws Exception {
    holdExports = true;
    gateway("{ enabled: true, endpoint: \"%s\", exportInterval: 50ms, exportTimeout: 60s, maxQueueSize: 1, maxBatchSize: 1 }"
        .formatted(endpoint()), "[]");
    int exchanges = 6;
    for (int i = 0; i < exchanges; i++) {
      assertThat(client.get(gw.port(), "/x" + i).status()).as("the client never waits for the export").isEqualTo(200);
    }
    // The collector holds the first export: one exchange in flight and one in the queue at most, so at least
    // four of the six (two spans each) were dropped at the queue. (An exchange offers its spans when its
    // response has been written, which may be just after the client has read it: hence the wait.)
    await().atMost(Duration.ofSeconds(10)).until(() -> !held.isEmpty() && dropped("queue_full") >= 8.0);
    assertThat(exported()).isZero();
    releaseExports();
    // Every span is either exported or counted as dropped: nothing is lost uncounted.
    await().atMost(Duration.ofSeconds(10)).until(() -> exported() + dropped("queue_full") == 2.0 * exchanges);
    assertThat(exported()).isGreaterThanOrEqualTo(2.0);
    assertThat(dropped("export_failed")).isZero();
  }

  @Test
  void withoutSpanExportThereAreNoTracingMeters() throws Exception {
    gateway("{ enabled: true }", "[]");
    assertThat(client.get(gw.port(), "/x").status()).isEqualTo(200);
    String scrape = client.get(gw.adminPort(), "/metrics", ADMIN).body();
    assertThat(scrape).contains("sluice_requests_total").doesNotContain("sluice_tracing_");
  }

  // ---- traceresponse (W3C Trace Context Level 2)

  @Test
  void traceresponseNamesTheGatewaysServerSpanAndItsSamplingDecision() throws Exception {
    tracingOn(", traceResponse: true");
    Reply reply = client.get(gw.port(), "/x", headers("traceparent", VALID));
    assertThat(reply.status()).isEqualTo(200);
    String traceresponse = reply.headers().get("traceresponse");
    assertThat(traceresponse).matches("00-" + TRACE + "-[0-9a-f]{16}-01");
    String child = traceresponse.substring(36, 52);
    assertThat(child).isNotEqualTo(PARENT).isNotEqualTo("0000000000000000");
    assertThat(reply.headers().getAll("traceresponse")).hasSize(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> spansOf(TRACE).size() >= 3);
    JsonObject server = spansOf(TRACE).stream().filter(s -> s.getInteger("kind") == 2).findFirst().orElseThrow();
    assertThat(server.getString("spanId")).as("the child id is the exported server span").isEqualTo(child);
    assertThat(backend.next().headers().contains("traceresponse")).as("a response header only").isFalse();
  }

  @Test
  void anUnsampledExchangeGetsATraceresponseWithTheSampledFlagCleared() throws Exception {
    tracingOn(", traceResponse: true, sampleRatio: 0");
    Reply reply = client.get(gw.port(), "/x");
    String upstream = backend.next().headers().get("traceparent");
    assertThat(upstream).endsWith("-00");
    // Not recorded: the upstream's parent is the gateway's server span, the same one the client is told about.
    assertThat(reply.headers().get("traceresponse")).isEqualTo(upstream).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00");
    await().atMost(Duration.ofSeconds(5)).until(() -> !accessLog().isEmpty());
    assertThat(accessLog().get(0).getString("traceId")).isEqualTo(upstream.substring(3, 35));
  }

  @Test
  void problemsGetATraceresponseAndAnUpstreamsOwnIsReplaced() throws Exception {
    try (TestBackend tracing = TestBackend.start(vertx, request -> request.response()
        .putHeader("traceresponse", "00-" + TRACE + "-1111111111111111-01").end("ok"))) {
      int closed;
      try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        closed = s.getLocalPort();
      }
      gw = TestGateway.start(dir, """
          tracing: { enabled: true, traceResponse: true }
          routes:
            - { id: traced, path: /traced/**, upstream: "%s" }
            - { id: down, path: /down/**, upstream: "http://127.0.0.1:%d" }
          """.formatted(tracing.url(), closed));
      Reply relayed = client.get(gw.port(), "/traced/x", headers("traceparent", VALID));
      assertThat(relayed.headers().getAll("traceresponse")).hasSize(1);
      assertThat(relayed.headers().get("traceresponse")).startsWith("00-" + TRACE + "-")
          .doesNotContain("1111111111111111").endsWith("-01");
      Reply problem = client.get(gw.port(), "/down/x", headers("traceparent", VALID));
      assertThat(problem.status()).isEqualTo(502);
      assertThat(problem.headers().get("traceresponse")).matches("00-" + TRACE + "-[0-9a-f]{16}-01");
      Reply notFound = client.get(gw.port(), "/nowhere");
      assertThat(notFound.status()).isEqualTo(404);
      assertThat(notFound.headers().get("traceresponse")).as("a new trace").matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    }
  }

  @Test
  void noTraceresponseUnlessAskedFor() throws Exception {
    tracingOn("");
    assertThat(client.get(gw.port(), "/x", headers("traceparent", VALID)).headers().contains("traceresponse")).isFalse();
    gw.close();
    gw = null;
    gateway("{ enabled: false, traceResponse: true }", "[]");
    assertThat(client.get(gw.port(), "/x", headers("traceparent", VALID)).headers().contains("traceresponse"))
        .as("tracing off: no tracing at all").isFalse();
  }
}
