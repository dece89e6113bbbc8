// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.admin;

import io.sluice.gateway.api.PolicyFactory;
import io.sluice.gateway.api.Rejection;
import io.sluice.gateway.api.admin.AdminEndpoint;
import io.sluice.gateway.api.admin.AdminRequest;
import io.sluice.gateway.api.admin.AdminResponse;
import io.sluice.gateway.platform.http.ProblemResponse;
import io.sluice.gateway.platform.plugin.PluginGeneration;
import io.sluice.gateway.platform.policy.RegisteredFactory;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Mounts policy types' {@link AdminEndpoint}s ({@link PolicyFactory#admin()}) at {@code /admin/<type>} and below.
 * The factory is looked up in the current plugin generation on every request, so the mount follows hot reloads
 * and a removed plugin's paths fall through to 404; the generation is held ({@code enter}/{@code exit}) while its
 * endpoint answers. Paths of the platform's own endpoints, and types without an endpoint, fall through to the
 * router's 405/404 handlers.
 */
final class PluginAdminMount implements Handler<RoutingContext> {

  /** The regex the mount is routed on: {@code /admin/<type>} with an optional remainder. */
  static final String PATH = "^/admin/([a-z0-9][a-z0-9-]*)(/.*)?$";

  private final AdminBackend backend;
  private final Set<String> reserved;

  PluginAdminMount(AdminBackend backend, Set<String> reserved) {
    this.backend = backend;
    this.reserved = reserved;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String path = ctx.request().path();
    int slash = path.indexOf('/', "/admin/".length());
    String type = slash < 0 ? path.substring("/admin/".length()) : path.substring("/admin/".length(), slash);
    PluginGeneration generation = backend.plugins();
    RegisteredFactory registered = reserved.contains(type) ? null : generation.registry().get(type);
    AdminEndpoint endpoint = registered == null ? null : registered.factory().admin();
    if (endpoint == null) {
      ctx.next();
      return;
    }
    JsonObject body;
    try {
      body = body(ctx.body().buffer());
    } catch (DecodeException | ClassCastException e) {
      ctx.fail(new AdminError(400, "ADMIN_BAD_REQUEST", "the request body must be a JSON object"));
      return;
    }
    MultiMap query = MultiMap.caseInsensitiveMultiMap().addAll(ctx.queryParams());
    AdminRequest request = new AdminRequest(ctx.request().method(), slash < 0 ? "" : path.substring(slash), query, body);
    generation.enter();
    Future<AdminResponse> answer;
    try {
      answer = endpoint.handle(request);
      if (answer == null) {
        answer = Future.failedFuture(new IllegalStateException("admin endpoint of '" + type + "' returned null"));
      }
    } catch (RuntimeException e) {
      answer = Future.failedFuture(e);
    }
    answer.onComplete(ar -> {
      generation.exit();
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      AdminResponse r = ar.result();
      Rejection rejection = r.rejection();
      if (rejection != null) {
        ProblemResponse.send(ctx.response(), rejection.status(), rejection.key(), rejection.message(), null,
            rejection.headers());
        return;
      }
      ctx.response().setStatusCode(r.status()).putHeader("Content-Type", "application/json")
          .putHeader("Cache-Control", "no-store").end(r.body().encodePrettily() + "\n");
    });
  }

  private static @Nullable JsonObject body(@Nullable Buffer buffer) {
    if (buffer == null || buffer.length() == 0) {
      return null;
    }
    Object value = buffer.toJsonValue();
    return (JsonObject) value;
  }
}
