// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.admin;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The dashboard: static HTML, CSS and JavaScript modules under {@value #PATH}/ from the classpath's {@code
 * webroot/dashboard}, served by the admin listener WITHOUT the token (the files hold no data); every call the
 * page makes for data goes to the admin API with {@code Authorization: Bearer}, which the page keeps in
 * sessionStorage. Mounted ahead of the token check, for GET and HEAD under {@value #PATH} only. {@code
 * endpoints.json} lists the admin paths this gateway serves, so that the page asks only for data that exists
 * (a 404 would be a console error) and works before and after optional endpoints such as {@code
 * /admin/analytics}; endpoints the configuration turned off ({@code metrics.enabled}, {@code
 * analytics.enabled}: false) are left out, so the page falls back without a failed request. The list is no
 * secret (it is the documentation's).
 *
 * <p>Every admin response, data and page alike, gets {@code Cache-Control: no-store} and {@code
 * X-Content-Type-Options: nosniff}; the page adds a Content-Security-Policy that allows scripts, styles and
 * fetches from this origin only (no inline script, no eval) and no framing.
 */
final class Dashboard {

  /** Where the dashboard is served on the admin listener. */
  static final String PATH = "/dashboard";

  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private Dashboard() {}

  /** Adds the headers every admin response gets and the dashboard's routes; call before the token check. */
  static void mount(Router router, Supplier<Set<String>> endpoints) {
    router.route().handler(ctx -> {
      ctx.response().putHeader("Cache-Control", "no-store").putHeader("X-Content-Type-Options", "nosniff");
      ctx.next();
    });
    StaticHandler files = StaticHandler.create("webroot/dashboard")
        .setCachingEnabled(false)
        .setDirectoryListing(false)
        .setIncludeHidden(false)
        .setDefaultContentEncoding("UTF-8");
    for (HttpMethod method : new HttpMethod[] {HttpMethod.GET, HttpMethod.HEAD}) {
      // A route on "/dashboard" also matches "/dashboard/": only the bare path is redirected.
      router.route(method, PATH).handler(ctx -> {
        if (ctx.request().path().equals(PATH)) {
          ctx.redirect(PATH + "/");
        } else {
          ctx.next();
        }
      });
      router.route(method, PATH + "/endpoints.json").handler(Dashboard::pageHeaders).handler(ctx -> ctx.response()
          .putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("endpoints", new JsonArray(List.copyOf(endpoints.get()))).encode()));
      router.route(method, PATH + "/*").handler(Dashboard::pageHeaders).handler(files);
    }
  }

  /** The paths of {@code registered} that answer: without {@code /metrics} or {@code /admin/analytics} when off. */
  static Set<String> answering(Set<String> registered, AdminBackend backend) {
    Set<String> out = new LinkedHashSet<>(registered);
    if (backend.metrics() == null) {
      out.remove("/metrics");
    }
    if (backend.analytics() == null) {
      out.remove("/admin/analytics");
    }
    return out;
  }

  private static void pageHeaders(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    response.putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Cross-Origin-Opener-Policy", "same-origin");
    ctx.next();
  }
}
