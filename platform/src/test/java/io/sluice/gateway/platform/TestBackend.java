// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A real upstream on an ephemeral port that records what it receives. */
final class TestBackend implements AutoCloseable {

  /** What the backend saw of one request. */
  record Received(String method, String uri, MultiMap headers) {}

  private final HttpServer server;
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final AtomicInteger hits = new AtomicInteger();

  private TestBackend(HttpServer server) {
    this.server = server;
  }

  /** A backend answering with {@code handler}; every request is recorded before the handler runs. */
  static TestBackend start(Vertx vertx, Handler<HttpServerRequest> handler) {
    return startOn(vertx, 0, handler);
  }

  /** Like {@link #start} on a given port (0 for any): a backend that went down can come back where it was. */
  static TestBackend startOn(Vertx vertx, int port, Handler<HttpServerRequest> handler) {
    HttpServer server = vertx.createHttpServer();
    TestBackend backend = new TestBackend(server);
    server.requestHandler(request -> {
      backend.hits.incrementAndGet();
      backend.received.add(new Received(
          request.method().name(), request.uri(), MultiMap.caseInsensitiveMultiMap().addAll(request.headers())));
      handler.handle(request);
    });
    server.listen(port, "127.0.0.1").await();
    return backend;
  }

  /** A backend that answers 200 with a body naming itself ({@code name}), after reading the request body. */
  static TestBackend named(Vertx vertx, String name) {
    return start(vertx, request -> request.body().onSuccess(b -> request.response().end(name)));
  }

  int port() {
    return server.actualPort();
  }

  String url() {
    return "http://127.0.0.1:" + port();
  }

  int hits() {
    return hits.get();
  }

  /** The next recorded request, waiting up to 5 s. */
  Received next() throws InterruptedException {
    Received r = received.poll(5, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("the backend received no request");
    }
    return r;
  }

  @Override
  public void close() {
    server.close().await();
  }
}
