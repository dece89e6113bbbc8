// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.admin;

import io.sluice.gateway.platform.http.ProblemResponse;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The admin listener. Every endpoint requires {@code Authorization: Bearer <token>}; a missing or wrong token
 * is 401 {@code ADMIN_UNAUTHORIZED}. Endpoints are registered by the gateway as {@link AdminEndpoint}s.
 */
public final class AdminServer {

  /** One admin operation: answers with a JSON document, or fails with an {@link AdminError}. */
  @FunctionalInterface
  public interface AdminEndpoint extends Function<HttpServerRequest, Future<JsonObject>> {}

  private final HttpServer server;

  private AdminServer(HttpServer server) {
    this.server = server;
  }

  /**
   * @param endpoints by "METHOD /path", e.g. {@code "GET /admin/routes"}
   */
  public static Future<AdminServer> start(
      Vertx vertx, String host, int port, AdminToken token, Map<String, AdminEndpoint> endpoints) {
    Map<String, AdminEndpoint> table = new LinkedHashMap<>(endpoints);
    HttpServer server =
        vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port).setIdleTimeout(60));
    server.requestHandler(request -> handle(request, token, table));
    return server.listen().map(AdminServer::new);
  }

  private static void handle(HttpServerRequest request, AdminToken token, Map<String, AdminEndpoint> endpoints) {
    HttpServerResponse response = request.response();
    if (!token.matchesAuthorization(request.getHeader("Authorization"))) {
      MultiMap challenge = MultiMap.caseInsensitiveMultiMap().add("WWW-Authenticate", "Bearer realm=\"sluice-admin\"");
      ProblemResponse.send(response, 401, "ADMIN_UNAUTHORIZED", "a valid admin bearer token is required", null, challenge);
      return;
    }
    AdminEndpoint endpoint = endpoints.get(request.method().name() + " " + request.path());
    if (endpoint == null) {
      boolean pathKnown = endpoints.keySet().stream().anyMatch(k -> k.endsWith(" " + request.path()));
      if (pathKnown) {
        ProblemResponse.send(response, 405, "METHOD_NOT_ALLOWED", null, null, null);
      } else {
        ProblemResponse.send(response, 404, "ADMIN_ENDPOINT_NOT_FOUND", "no admin endpoint " + request.path(), null, null);
      }
      return;
    }
    request.body().compose(body -> endpoint.apply(request)).onComplete(ar -> {
      if (ar.succeeded()) {
        response.putHeader("Content-Type", "application/json").end(ar.result().encodePrettily() + "\n");
      } else if (ar.cause() instanceof AdminError e) {
        response.putHeader("Content-Type", ProblemResponse.CONTENT_TYPE)
            .setStatusCode(e.status())
            .end(e.toProblem().encodePrettily() + "\n");
      } else {
        ProblemResponse.send(response, 500, "ADMIN_ERROR", ar.cause().toString(), null, null);
      }
    });
  }

  public int port() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server.close();
  }
}
