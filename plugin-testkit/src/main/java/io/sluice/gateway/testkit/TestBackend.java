// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.testkit;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A real upstream on an ephemeral port for integration tests. It answers 200 with body {@code backend} and
 * records what it received, so a test can assert that a policy let a request through, or kept it away
 * ({@link #hits()} is 0).
 */
public final class TestBackend implements AutoCloseable {

  /** What the backend saw of one request. */
  public record Received(String method, String uri, MultiMap headers, String body) {}

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final AtomicInteger hits = new AtomicInteger();

  public TestBackend() {
    server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      hits.incrementAndGet();
      received.add(new Received(request.method().name(), request.uri(),
          MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), body.toString()));
      request.response().end("backend");
    }));
    server.listen(0, "127.0.0.1").await();
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public int hits() {
    return hits.get();
  }

  /** The next request the backend received, waiting up to 5 s; null when none came. */
  public @Nullable Received next() throws InterruptedException {
    return received.poll(5, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
