// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.cache;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A real upstream whose answer per path a test scripts, counting the requests per path and keeping the headers
 * of the last one: the cache's tests assert on what reached the origin.
 */
final class ScriptedBackend implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final Map<String, Consumer<HttpServerRequest>> scripts = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private final Map<String, MultiMap> last = new ConcurrentHashMap<>();

  ScriptedBackend() {
    server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      String path = req.path();
      hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      last.put(path, MultiMap.caseInsensitiveMultiMap().addAll(req.headers()));
      Consumer<HttpServerRequest> script = scripts.get(path);
      if (script == null) {
        req.response().setStatusCode(404).end("no script for " + path);
      } else {
        script.accept(req);
      }
    }));
    server.listen(0, "127.0.0.1").await();
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  Vertx vertx() {
    return vertx;
  }

  /** Scripts the answer for {@code path}. */
  void on(String path, Consumer<HttpServerRequest> script) {
    scripts.put(path, script);
  }

  int hits(String path) {
    AtomicInteger h = hits.get(path);
    return h == null ? 0 : h.get();
  }

  MultiMap lastHeaders(String path) {
    return last.getOrDefault(path, MultiMap.caseInsensitiveMultiMap());
  }

  /** Stops listening: the upstream is down. */
  void stop() {
    server.close().await();
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
