// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.jwt;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A real JWKS endpoint on an ephemeral port: serves the keys a test sets, counts the fetches. */
final class JwksServer implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private volatile String body = "{\"keys\":[]}";
  private volatile int status = 200;
  private volatile long delayMs;
  private volatile long trickleMs;

  JwksServer(TestKey... keys) {
    publish(keys);
    server = vertx.createHttpServer().requestHandler(request -> {
      requests.incrementAndGet();
      Runnable answer = () -> request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
      if (trickleMs > 0) {
        request.response().setStatusCode(status).setChunked(true).putHeader("Content-Type", "application/json");
        trickle(request.response(), body, 0);
      } else if (delayMs > 0) {
        vertx.setTimer(delayMs, t -> answer.run());
      } else {
        answer.run();
      }
    });
    server.listen(0, "127.0.0.1").await();
  }

  /** Serves exactly these keys from now on (key rotation). */
  void publish(TestKey... keys) {
    List<JWK> jwks = java.util.Arrays.stream(keys).map(TestKey::publicJwk).toList();
    body = new JWKSet(jwks).toString();
  }

  /** Answers every request with this status (500: the endpoint is broken). */
  void status(int status) {
    this.status = status;
  }

  /** Delays every answer, so that requests from several event loops wait on one fetch. */
  void delay(long ms) {
    this.delayMs = ms;
  }

  /** Sends every answer one byte per {@code ms}: each byte in time for an idle timeout, the whole too late. */
  void trickle(long ms) {
    this.trickleMs = ms;
  }

  private void trickle(io.vertx.core.http.HttpServerResponse response, String text, int at) {
    if (at == text.length()) {
      response.end();
      return;
    }
    vertx.setTimer(trickleMs, t -> response.write(text.substring(at, at + 1)).onSuccess(v -> trickle(response, text, at + 1)));
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/realms/test/protocol/openid-connect/certs";
  }

  int requests() {
    return requests.get();
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
