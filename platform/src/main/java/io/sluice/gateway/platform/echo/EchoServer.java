// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.echo;

import io.sluice.gateway.platform.config.EchoConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A tiny upstream that answers every request with a JSON description of what it received (method, path,
 * query, headers, body size), so that a fresh gateway shows the proxy at work with nothing else running.
 * Reads and counts the body without keeping it.
 */
public final class EchoServer {

  private final HttpServer server;

  private EchoServer(HttpServer server) {
    this.server = server;
  }

  public static Future<EchoServer> start(Vertx vertx, EchoConfig config) {
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.port()));
    server.requestHandler(EchoServer::echo);
    return server.listen().map(EchoServer::new);
  }

  private static void echo(HttpServerRequest request) {
    long[] size = {0};
    request.handler(chunk -> size[0] += chunk.length());
    request.endHandler(v -> {
      JsonArray headers = new JsonArray();
      request.headers().forEach(h -> headers.add(new JsonArray().add(h.getKey()).add(h.getValue())));
      JsonObject body = new JsonObject()
          .put("service", "sluice-echo")
          .put("method", request.method().name())
          .put("path", request.path())
          .put("query", request.query())
          .put("headers", headers)
          .put("bodyBytes", size[0]);
      request.response().putHeader("Content-Type", "application/json").end(body.encodePrettily() + "\n");
    });
  }

  public int port() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server.close();
  }
}
