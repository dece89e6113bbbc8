// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.admin;

import io.sluice.gateway.platform.reload.ReloadRefused;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin router's one failure handler: every failed admin request ends here and is answered with
 * problem+json. Expected outcomes ({@link AdminError}, a {@link ReloadRefused}, the body limit) keep their
 * status and key; anything else is a bug, logged once with its stack trace and answered 500 {@code
 * ADMIN_ERROR} without internals.
 */
final class AdminFailures implements Handler<RoutingContext> {

  private static final Logger log = LoggerFactory.getLogger(AdminFailures.class);

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    problemFor(ctx, ctx.failure()).send(ctx.response());
  }

  private static AdminError problemFor(RoutingContext ctx, @Nullable Throwable failure) {
    if (failure instanceof AdminError e) {
      return e;
    }
    if (failure instanceof ReloadRefused r) {
      String key = r.kind() == ReloadRefused.Kind.PLUGINS ? "PLUGINS_REFUSED" : "CONFIG_INVALID";
      return new AdminError(400, key, r.getMessage(), r.problems(), null);
    }
    int status = failure instanceof HttpException h ? h.getStatusCode() : ctx.statusCode();
    if (status == 413) {
      return new AdminError(413, "ADMIN_BODY_TOO_LARGE",
          "admin request bodies are limited to " + AdminRouter.MAX_BODY_BYTES + " bytes");
    }
    if (status == 400) {
      return new AdminError(400, "ADMIN_BAD_REQUEST", "the request could not be read");
    }
    log.error("admin {} {} failed", ctx.request().method(), ctx.request().path(), failure);
    return new AdminError(500, "ADMIN_ERROR", "the admin operation failed; the gateway's log has the details");
  }
}
