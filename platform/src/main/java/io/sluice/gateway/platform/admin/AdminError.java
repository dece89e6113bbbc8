// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** An admin request that cannot be carried out, rendered as problem+json; {@code errors} lists details. */
public final class AdminError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String key;
  private final transient List<String> errors;

  public AdminError(int status, String key, String detail, List<String> errors) {
    super(detail, null, false, false);
    this.status = status;
    this.key = key;
    this.errors = List.copyOf(errors);
  }

  public int status() {
    return status;
  }

  JsonObject toProblem() {
    return new JsonObject()
        .put("type", "about:blank")
        .put("title", io.netty.handler.codec.http.HttpResponseStatus.valueOf(status).reasonPhrase())
        .put("status", status)
        .put("key", key)
        .put("detail", getMessage())
        .put("errors", new JsonArray(List.copyOf(errors)));
  }
}
