// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.admin;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.sluice.gateway.platform.http.ProblemResponse;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An admin request that cannot be carried out, rendered as problem+json with a stable {@code key};
 * {@code errors} lists details (every problem of a refused configuration), {@code headers} go with it
 * ({@code Allow}, {@code WWW-Authenticate}).
 */
final class AdminError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String key;
  private final transient List<String> errors;
  private final transient @Nullable MultiMap headers;

  AdminError(int status, String key, @Nullable String detail, List<String> errors, @Nullable MultiMap headers) {
    super(detail, null, false, false);
    this.status = status;
    this.key = key;
    this.errors = List.copyOf(errors);
    this.headers = headers;
  }

  AdminError(int status, String key, @Nullable String detail) {
    this(status, key, detail, List.of(), null);
  }

  int status() {
    return status;
  }

  String key() {
    return key;
  }

  /** Sends the problem as the whole response. */
  void send(HttpServerResponse response) {
    if (errors.isEmpty()) {
      ProblemResponse.send(response, status, key, getMessage(), null, headers);
      return;
    }
    JsonObject problem = new JsonObject()
        .put("type", "about:blank")
        .put("title", HttpResponseStatus.valueOf(status).reasonPhrase())
        .put("status", status)
        .put("key", key)
        .put("detail", getMessage())
        .put("errors", new JsonArray(errors));
    if (headers != null) {
      response.headers().addAll(headers);
    }
    response.putHeader("Content-Type", ProblemResponse.CONTENT_TYPE)
        .setStatusCode(status)
        .end(problem.encodePrettily() + "\n");
  }
}
