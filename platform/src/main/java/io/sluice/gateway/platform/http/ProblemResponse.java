// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.http;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.http.HttpServerResponse;
import org.jspecify.annotations.Nullable;

/**
 * Renders every error the gateway produces as an RFC 9457 {@code application/problem+json} document with a
 * stable {@code key} clients can branch on, and the request id to quote in a support ticket:
 *
 * <pre>{@code
 * {"type":"about:blank","title":"Not Found","status":404,"key":"ROUTE_NOT_FOUND",
 *  "detail":"no route for GET /nope","requestId":"3f0c..."}
 * }</pre>
 *
 * Details never include stack traces or upstream internals.
 */
public final class ProblemResponse {

  public static final String CONTENT_TYPE = "application/problem+json";

  private ProblemResponse() {}

  /** The document as a string. */
  public static String body(int status, String key, @Nullable String detail, @Nullable String requestId) {
    StringBuilder sb = new StringBuilder(160);
    sb.append("{\"type\":\"about:blank\",\"title\":");
    JsonText.quote(sb, HttpResponseStatus.valueOf(status).reasonPhrase());
    sb.append(",\"status\":").append(status).append(",\"key\":");
    JsonText.quote(sb, key);
    if (detail != null) {
      sb.append(",\"detail\":");
      JsonText.quote(sb, detail);
    }
    if (requestId != null) {
      sb.append(",\"requestId\":");
      JsonText.quote(sb, requestId);
    }
    return sb.append('}').toString();
  }

  /**
   * Sends the problem as the whole response. The caller must know the response head is not written yet.
   *
   * @param headers extra headers (e.g. {@code Allow}, {@code Retry-After}), or null
   */
  public static Future<Void> send(
      HttpServerResponse response,
      int status,
      String key,
      @Nullable String detail,
      @Nullable String requestId,
      @Nullable MultiMap headers) {
    Buffer body = Buffer.buffer(body(status, key, detail, requestId));
    response.setStatusCode(status);
    if (headers != null) {
      response.headers().addAll(headers);
    }
    response
        .putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(body.length()));
    return response.end(body);
  }
}
