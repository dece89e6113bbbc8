// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.health;

import io.sluice.gateway.platform.http.ProblemResponse;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * The health listener, without a token: {@code GET /health/live} is 200 as long as the process serves HTTP at
 * all; {@code GET /health/ready} is 200 once every {@link Readiness} condition is met, else 503
 * {@code NOT_READY} (problem+json naming the pending conditions). Nothing else is served here, so nothing
 * sensitive can leak: no version, no routes, no addresses.
 */
public final class HealthServer {

  private final HttpServer server;

  private HealthServer(HttpServer server) {
    this.server = server;
  }

  public static Future<HealthServer> start(Vertx vertx, String host, int port, Readiness readiness) {
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port).setIdleTimeout(60));
    server.requestHandler(request -> handle(request, readiness));
    return server.listen().map(HealthServer::new);
  }

  private static void handle(HttpServerRequest request, Readiness readiness) {
    boolean read = request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD;
    switch (request.path()) {
      case "/health/live" -> {
        if (read) {
          json(request, new JsonObject().put("status", "UP"));
        } else {
          notAllowed(request);
        }
      }
      case "/health/ready" -> {
        if (!read) {
          notAllowed(request);
        } else if (readiness.ready()) {
          json(request, new JsonObject().put("status", "UP"));
        } else {
          ProblemResponse.send(request.response(), 503, "NOT_READY",
              "waiting for: " + String.join(", ", readiness.pending()), null, null);
        }
      }
      default -> ProblemResponse.send(request.response(), 404, "HEALTH_ENDPOINT_NOT_FOUND",
          "the health listener serves /health/live and /health/ready", null, null);
    }
  }

  private static void json(HttpServerRequest request, JsonObject body) {
    request.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
        .end(body.encode() + "\n");
  }

  private static void notAllowed(HttpServerRequest request) {
    ProblemResponse.send(request.response(), 405, "METHOD_NOT_ALLOWED", null, null,
        MultiMap.caseInsensitiveMultiMap().add("Allow", "GET, HEAD"));
  }

  public int port() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server.close();
  }
}
