// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.platform.TestClient.Reply;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Policy chains through a running gateway, with the test policies in {@code testpolicies} (found on the
 * class path as PF4J extensions, like built-ins).
 */
@ExtendWith(VertxExtension.class)
class PolicyChainIT {

  @TempDir Path dir;
  TestClient client;
  TestBackend backend;
  TestGateway gw;

  Vertx vertx;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    client = new TestClient(vertx);
    backend = TestBackend.start(vertx, request -> request.body().onSuccess(body -> request.response()
        .putHeader("X-Body", body.toString())
        .end("backend")));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (gw != null) {
      gw.close();
    }
    backend.close();
    client.close();
  }

  private void gateway(String body) {
    gw = TestGateway.start(dir, "plugins: { dir: " + dir.resolve("plugins") + " }\nupstreams:\n  app:\n    targets: [\""
        + backend.url() + "\"]\n" + body);
  }

  private static String route(String id, String policies) {
    return """
          - id: %s
            path: /%s/**
            upstream: app
            timeouts: { policy: 300ms }
            policies:
        %s
        """.formatted(id, id, policies);
  }

  private static String misbehave(String mode) {
    return "      - { type: misbehave, config: { mode: " + mode + " } }";
  }

  @Test
  void ordersByStageThenConfigurationAndUnwindsInReverse() throws Exception {
    gateway("""
        policies:
          - { type: trace, config: { name: global }, stage: screen }
        routes:
        """ + route("ordered", """
              - { type: trace, config: { name: t1 } }
              - { type: trace, config: { name: auth }, stage: authenticate }
              - { type: trace, config: { name: t2 } }
        """));
    Reply reply = client.get(gw.port(), "/ordered/x");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(backend.next().headers().get("X-Trace")).isEqualTo("global,auth,t1,t2");
    assertThat(reply.headers().get("X-Trace-Back")).isEqualTo("t2,t1,auth,global");

    Reply routes = client.get(gw.adminPort(), "/admin/routes",
        MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + TestGateway.ADMIN_TOKEN));
    JsonArray chain = routes.json().getJsonArray("routes").getJsonObject(0).getJsonArray("policies");
    assertThat(chain.stream().map(o -> ((JsonObject) o).getString("stage"))).containsExactly("screen", "authenticate", "transform", "transform");
    assertThat(chain.getJsonObject(0).getString("source")).isEqualTo("builtin");
  }

  @Test
  void aBrokenPolicyFailsOnlyItsOwnRequest() throws Exception {
    gateway("routes:\n"
        + route("throws", misbehave("throw"))
        + route("fails", misbehave("fail"))
        + route("hangs", misbehave("hang"))
        + route("twice", misbehave("twice"))
        + route("nulls", misbehave("return_null"))
        + route("silent", misbehave("silent"))
        + route("late", misbehave("fail_after_response"))
        + route("fine", "      - { type: trace, config: { name: ok } }"));
    for (String broken : new String[] {"throws", "fails", "hangs", "twice", "nulls", "silent", "late"}) {
      Reply reply = client.get(gw.port(), "/" + broken + "/x");
      assertThat(reply.status()).as(broken).isEqualTo(500);
      assertThat(reply.key()).as(broken).isEqualTo("POLICY_ERROR");
      assertThat(reply.body()).as(broken).doesNotContain("boom").doesNotContain("Exception");
    }
    assertThat(client.get(gw.port(), "/fine/x").status()).isEqualTo(200);
    assertThat(backend.hits()).as("twice and late reached the backend once each, fine once").isEqualTo(3);
  }

  @Test
  void rejectionsAndAnswersSkipTheUpstream() throws Exception {
    gateway("routes:\n" + route("reject", misbehave("reject")) + route("answer", misbehave("answer")));
    Reply rejected = client.get(gw.port(), "/reject/x");
    assertThat(rejected.status()).isEqualTo(403);
    assertThat(rejected.key()).isEqualTo("TEST_FORBIDDEN");
    assertThat(rejected.json().getString("detail")).isEqualTo("no");
    assertThat(rejected.headers().get("X-Why")).isEqualTo("test");
    Reply answered = client.get(gw.port(), "/answer/x");
    assertThat(answered.status()).isEqualTo(204);
    assertThat(answered.headers().get("X-Answered-By")).isEqualTo("policy");
    assertThat(backend.hits()).isZero();
  }

  @Test
  void upstreamHeadersReachTheClientOnceAndNoneOfThemRideOnALateRejection() throws Exception {
    backend.close();
    backend = TestBackend.start(vertx, request -> {
      request.response().headers().add("X-Upstream", "one").add("Set-Cookie", "a=1").add("Set-Cookie", "b=2");
      request.response().end("backend");
    });
    gateway("routes:\n" + route("traced", "      - { type: trace, config: { name: t } }")
        + route("late", misbehave("reject_after_response")));
    Reply traced = client.get(gw.port(), "/traced/x");
    assertThat(traced.status()).isEqualTo(200);
    assertThat(traced.headers().getAll("X-Upstream")).containsExactly("one");
    assertThat(traced.headers().getAll("Set-Cookie")).containsExactly("a=1", "b=2");
    assertThat(traced.headers().getAll("X-Trace-Back")).containsExactly("t");
    assertThat(traced.headers().getAll("Content-Length")).containsExactly("7");

    Reply late = client.get(gw.port(), "/late/x");
    assertThat(late.status()).isEqualTo(403);
    assertThat(late.key()).isEqualTo("TEST_FORBIDDEN");
    assertThat(late.headers().get("X-Why")).isEqualTo("test");
    assertThat(late.headers().get("X-Upstream")).isNull();
    assertThat(late.headers().get("Set-Cookie")).isNull();
    assertThat(late.headers().get("Content-Type")).isEqualTo("application/problem+json");
  }

  @Test
  void aPolicyCanReplaceTheRequestBody() throws Exception {
    gateway("routes:\n" + route("upper", misbehave("uppercase_body")));
    Reply reply = client.send(HttpMethod.POST, gw.port(), "/upper/x", MultiMap.caseInsensitiveMultiMap(),
        Buffer.buffer("hello"));
    assertThat(reply.headers().get("X-Body")).isEqualTo("HELLO");
  }

  @Test
  void aPolicyCanReadAndReplaceTheResponseBody() throws Exception {
    gateway("routes:\n" + route("upper", misbehave("uppercase_response")));
    Reply reply = client.get(gw.port(), "/upper/x");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body()).isEqualTo("BACKEND");
    assertThat(reply.headers().get("X-Transformed")).isEqualTo("yes");
    assertThat(reply.headers().get("Content-Length")).isEqualTo("7");
  }

  @Test
  void refusesUnknownTypesAndBadPolicyConfigAtLoad() throws Exception {
    gateway("routes:\n" + route("ok", "      - { type: trace, config: { name: a } }"));
    gw.rewrite("""
        policies:
          - { type: trace, config: { colour: red } }
        routes:
          - id: typo
            path: /t
            upstream: %s
            policies:
              - { type: trace, config: { name: a } }
              - { type: rate-limt }
          - id: bad-config
            path: /b
            upstream: %s
            policies:
              - { type: trace, config: { name: "" } }
        """.formatted(backend.url(), backend.url()));
    Reply refused = client.send(HttpMethod.POST, gw.adminPort(), "/admin/reload",
        MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + TestGateway.ADMIN_TOKEN), null);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().getJsonArray("errors").getList()).containsExactly(
        "policies[0].config: unknown key 'colour' (known: name)",
        "routes[typo].policies[1].type: unknown policy type 'rate-limt' (known: count, header-consumer, misbehave, script, send, trace)",
        "routes[bad-config].policies[0].config.name: is required");
    assertThat(client.get(gw.port(), "/ok/x").status()).as("the previous configuration keeps serving").isEqualTo(200);
  }
}
