// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.admin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * The admin listener. Every endpoint requires {@code Authorization: Bearer <token>}; a missing or wrong token
 * is 401 {@code ADMIN_UNAUTHORIZED}. The endpoints and their JSON belong to this package ({@link
 * AdminEndpoints}); the gateway provides what they read and ask for as an {@link AdminBackend}.
 */
public final class AdminServer {

  private final HttpServer server;

  private AdminServer(HttpServer server) {
    this.server = server;
  }

  /** Binds the admin listener; the future fails when the port cannot be bound. */
  public static Future<AdminServer> start(Vertx vertx, String host, int port, AdminToken token, AdminBackend backend) {
    HttpServer server =
        vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port).setIdleTimeout(60));
    server.requestHandler(AdminRouter.create(vertx, token, backend));
    return server.listen().map(AdminServer::new);
  }

  public int port() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server.close();
  }
}
