// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.admin;

import io.sluice.gateway.platform.http.ProblemResponse;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The admin API's {@link Router}, in the order a request meets it: the bearer token (before anything else,
 * so that no handler, not even the body reader, runs for a caller without it), the body, read whole up to
 * {@value #MAX_BODY_BYTES} bytes (413 above), the endpoints, then 405 (with {@code Allow}) for a known path and 404 for any other; one
 * failure handler renders every problem.
 */
final class AdminRouter {

  /** Admin request bodies (configuration documents at most) are small; a larger one is refused with 413. */
  static final long MAX_BODY_BYTES = 64 * 1024;

  private final Router router;
  private final Map<String, Set<HttpMethod>> methodsByPath = new LinkedHashMap<>();

  private AdminRouter(Vertx vertx, AdminToken token, AdminBackend backend) {
    router = Router.router(vertx);
    // The dashboard's static files load without the token (they hold no data); its data calls need it.
    Dashboard.mount(router, () -> Dashboard.answering(methodsByPath.keySet(), backend));
    router.route().handler(ctx -> requireToken(ctx, token));
    // Every body is read whole (the router holds requests paused until then) and bounded; without file uploads.
    router.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
  }

  /** The router with the gateway's endpoints. */
  static Router create(Vertx vertx, AdminToken token, AdminBackend backend) {
    AdminRouter admin = new AdminRouter(vertx, token, backend);
    new AdminEndpoints(backend).register(admin);
    admin.mountPlugins(backend);
    return admin.finish();
  }

  /** Adds an endpoint; {@code path} may hold parameters ({@code /admin/routes/:id}). */
  AdminRouter endpoint(HttpMethod method, String path, Handler<RoutingContext> handler) {
    router.route(method, path).handler(handler);
    methodsByPath.computeIfAbsent(path, p -> new TreeSet<>((a, b) -> a.name().compareTo(b.name()))).add(method);
    return this;
  }

  /**
   * Policy types' own endpoints ({@code /admin/<type>/...}), after the platform's: a platform path never reaches
   * a plugin, and a path no plugin answers falls through to 405/404.
   */
  private void mountPlugins(AdminBackend backend) {
    Set<String> reserved = new TreeSet<>();
    for (String path : methodsByPath.keySet()) {
      String[] parts = path.split("/");
      if (parts.length > 2 && parts[1].equals("admin")) {
        reserved.add(parts[2]);
      }
    }
    router.routeWithRegex(PluginAdminMount.PATH).handler(new PluginAdminMount(backend, Set.copyOf(reserved)));
  }

  private Router finish() {
    methodsByPath.forEach((path, methods) -> {
      String allow = String.join(", ", methods.stream().map(HttpMethod::name).toList());
      MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Allow", allow);
      router.route(path).handler(ctx -> ctx.fail(new AdminError(405, "METHOD_NOT_ALLOWED",
          ctx.request().method().name() + " is not allowed on " + ctx.request().path() + " (allowed: " + allow + ")",
          List.of(), headers)));
    });
    router.route().handler(ctx -> ctx.fail(
        new AdminError(404, "ADMIN_NOT_FOUND", "no admin endpoint " + ctx.request().path())));
    router.route().failureHandler(new AdminFailures());
    return router;
  }

  private static void requireToken(RoutingContext ctx, AdminToken token) {
    if (token.matchesAuthorization(ctx.request().getHeader("Authorization"))) {
      ctx.next();
      return;
    }
    MultiMap challenge = MultiMap.caseInsensitiveMultiMap().add("WWW-Authenticate", "Bearer realm=\"sluice-admin\"");
    if (!ctx.request().isEnded()) {
      // The body of a caller without the token is never read: the router holds the request paused, so the
      // connection closes after the answer instead of waiting for bytes nobody will consume.
      challenge.add("Connection", "close");
    }
    ProblemResponse.send(ctx.response(), 401, "ADMIN_UNAUTHORIZED", "a valid admin bearer token is required", null,
        challenge);
  }
}
