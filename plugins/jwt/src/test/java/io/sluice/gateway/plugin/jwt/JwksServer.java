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

  JwksServer(TestKey... keys) {
    publish(keys);
    server = vertx.createHttpServer().requestHandler(request -> {
      requests.incrementAndGet();
      request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
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
