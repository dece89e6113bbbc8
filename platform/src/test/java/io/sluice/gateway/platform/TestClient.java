// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/** A real HTTP client for tests; every call blocks the test thread until the whole response has arrived. */
final class TestClient implements AutoCloseable {

  /** A complete response. */
  record Reply(int status, MultiMap headers, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }

    String key() {
      return json().getString("key");
    }
  }

  static final int POOL = 16;

  /** Request headers from name/value pairs: {@code headers("X-A", "1", "X-B", "2")}. */
  static MultiMap headers(String... pairs) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < pairs.length; i += 2) {
      h.add(pairs[i], pairs[i + 1]);
    }
    return h;
  }

  private final HttpClient client;
  private final Context context;

  TestClient(Vertx vertx) {
    this(vertx, HttpVersion.HTTP_1_1);
  }

  TestClient(Vertx vertx, HttpVersion version) {
    this.context = vertx.getOrCreateContext();
    this.client = vertx.createHttpClient(new HttpClientOptions()
        .setProtocolVersion(version)
        .setHttp2ClearTextUpgrade(false)
        .setKeepAlive(true), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(POOL));
  }

  Reply get(int port, String uri) {
    return send(HttpMethod.GET, port, uri, MultiMap.caseInsensitiveMultiMap(), null);
  }

  Reply get(int port, String uri, MultiMap headers) {
    return send(HttpMethod.GET, port, uri, headers, null);
  }

  Reply send(HttpMethod method, int port, String uri, MultiMap headers, Buffer body) {
    return sendAsync(method, port, uri, headers, body).await();
  }

  /** Sends without waiting: many of these run concurrently (the pool allows {@value #POOL} connections). */
  Future<Reply> sendAsync(HttpMethod method, int port, String uri, MultiMap headers, Buffer body) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(uri);
    return onContext(() -> client.request(options)
        .compose(req -> {
          req.headers().addAll(headers);
          return body == null ? req.send() : req.send(body);
        })
        .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.headers(), b.toString()))));
  }

  /** {@code GET} on the admin API with the test token; fails unless it answers 200. */
  JsonObject admin(TestGateway gateway, String path) {
    Reply r = get(gateway.adminPort(), path,
        MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + TestGateway.ADMIN_TOKEN));
    if (r.status() != 200) {
      throw new AssertionError("admin " + path + " answered " + r.status() + ": " + r.body());
    }
    return r.json();
  }

  /** The state of one target as {@code GET /admin/upstreams} shows it. */
  JsonObject target(TestGateway gateway, String upstream, int port) {
    for (Object u : admin(gateway, "/admin/upstreams").getJsonArray("upstreams")) {
      JsonObject up = (JsonObject) u;
      if (up.getString("name").equals(upstream)) {
        for (Object t : up.getJsonArray("targets")) {
          JsonObject target = (JsonObject) t;
          if (target.getString("target").endsWith(":" + port)) {
            return target;
          }
        }
      }
    }
    throw new AssertionError("no target on port " + port + " in upstream " + upstream);
  }

  /**
   * Runs an asynchronous operation on the client's event loop. A chain built on the test thread can attach a
   * listener to a future that has already completed, which then runs on the test thread and races the event
   * loop for the response body; building it on the context avoids that.
   */
  <T> Future<T> onContext(Supplier<Future<T>> operation) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> {
      try {
        operation.get().onComplete(promise);
      } catch (RuntimeException e) {
        promise.fail(e);
      }
    });
    return promise.future();
  }

  HttpClient raw() {
    return client;
  }

  @Override
  public void close() {
    client.close().await();
  }
}
