// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

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

  private final HttpClient client;

  TestClient(Vertx vertx) {
    this(vertx, HttpVersion.HTTP_1_1);
  }

  TestClient(Vertx vertx, HttpVersion version) {
    this.client = vertx.createHttpClient(new HttpClientOptions()
        .setProtocolVersion(version)
        .setHttp2ClearTextUpgrade(false)
        .setKeepAlive(true));
  }

  Reply get(int port, String uri) {
    return send(HttpMethod.GET, port, uri, MultiMap.caseInsensitiveMultiMap(), null);
  }

  Reply get(int port, String uri, MultiMap headers) {
    return send(HttpMethod.GET, port, uri, headers, null);
  }

  Reply send(HttpMethod method, int port, String uri, MultiMap headers, Buffer body) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(uri);
    return client.request(options)
        .compose(req -> {
          req.headers().addAll(headers);
          return body == null ? req.send() : req.send(body);
        })
        .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.headers(), b.toString())))
        .await();
  }

  HttpClient raw() {
    return client;
  }

  @Override
  public void close() {
    client.close().await();
  }
}
