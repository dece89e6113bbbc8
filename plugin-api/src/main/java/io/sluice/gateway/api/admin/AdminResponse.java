// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api.admin;

import io.sluice.gateway.api.Rejection;
import io.vertx.core.json.JsonObject;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link AdminEndpoint} answers: a status with a JSON object, or a refusal rendered as problem+json.
 * Use the factories.
 *
 * @param status the HTTP status (the rejection's when {@code rejection} is set)
 * @param body the JSON document, or null with a rejection
 * @param rejection the refusal, with its stable UPPER_SNAKE key, or null
 */
public record AdminResponse(int status, @Nullable JsonObject body, @Nullable Rejection rejection) {

  public AdminResponse {
    if (status < 200 || status > 599) {
      throw new IllegalArgumentException("status must be 200..599, was " + status);
    }
    if ((body == null) == (rejection == null)) {
      throw new IllegalArgumentException("exactly one of body and rejection");
    }
  }

  /** 200 with {@code body}. */
  public static AdminResponse ok(JsonObject body) {
    return new AdminResponse(200, body, null);
  }

  /** {@code status} with {@code body}. */
  public static AdminResponse of(int status, JsonObject body) {
    return new AdminResponse(status, body, null);
  }

  /** A refusal: problem+json with the rejection's status, key, message and headers. */
  public static AdminResponse rejected(Rejection rejection) {
    return new AdminResponse(rejection.status(), null, rejection);
  }
}
