// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.oauth2introspection;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real RFC 7662 endpoint on an ephemeral port. Knows the tokens a test registers (anything else is
 * inactive), checks the client's Basic credentials (401 when wrong, as an authorization server does), counts
 * the calls, and can be made slow (never answers, or a byte at a time) or broken (500).
 */
final class IntrospectionServer implements AutoCloseable {

  static final String CLIENT_ID = "gateway";
  static final String CLIENT_SECRET = "s3cret:with/odd&chars";

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final AtomicInteger calls = new AtomicInteger();
  private final Map<String, JsonObject> tokens = new ConcurrentHashMap<>();
  private volatile int status = 200;
  private volatile boolean silent;
  private volatile long delayMs;
  private volatile long trickleMs;

  IntrospectionServer() {
    server = vertx.createHttpServer().requestHandler(request -> {
      calls.incrementAndGet();
      if (silent) {
        return; // a slow endpoint: the gateway's timeout must end the wait
      }
      request.setExpectMultipart(true);
      request.end().onSuccess(v -> {
        String expected = "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":"
            + java.net.URLEncoder.encode(CLIENT_SECRET, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(request.getHeader("Authorization"))) {
          request.response().setStatusCode(401).end("{\"error\":\"invalid_client\"}");
          return;
        }
        if (status != 200) {
          request.response().setStatusCode(status).end();
          return;
        }
        String token = request.getFormAttribute("token");
        JsonObject answer = token != null && tokens.containsKey(token) ? tokens.get(token) : new JsonObject().put("active", false);
        Runnable reply = () -> request.response().putHeader("Content-Type", "application/json").end(answer.encode());
        if (trickleMs > 0) {
          request.response().setChunked(true).putHeader("Content-Type", "application/json");
          trickle(request.response(), answer.encode(), 0);
        } else if (delayMs > 0) {
          vertx.setTimer(delayMs, t -> reply.run());
        } else {
          reply.run();
        }
      });
    });
    server.listen(0, "127.0.0.1").await();
  }

  /** Answers {@code answer} for {@code token} (e.g. {@code {active: true, sub: alice, exp: ...}}). */
  IntrospectionServer token(String token, JsonObject answer) {
    tokens.put(token, answer);
    return this;
  }

  void status(int status) {
    this.status = status;
  }

  void silent(boolean silent) {
    this.silent = silent;
  }

  /** Delays every answer: lets concurrent requests pile up behind one call. */
  void delay(long ms) {
    this.delayMs = ms;
  }

  /** Sends every answer one byte per {@code ms}: each byte in time for an idle timeout, the whole too late. */
  void trickle(long ms) {
    this.trickleMs = ms;
  }

  private void trickle(io.vertx.core.http.HttpServerResponse response, String body, int at) {
    if (at == body.length()) {
      response.end();
      return;
    }
    vertx.setTimer(trickleMs, t -> response.write(body.substring(at, at + 1))
        .onSuccess(v -> trickle(response, body, at + 1)));
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/oauth2/introspect";
  }

  int calls() {
    return calls.get();
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
