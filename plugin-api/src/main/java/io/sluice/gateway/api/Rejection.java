// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api;

import io.vertx.core.MultiMap;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An expected refusal of a request: a value, not an exception. The gateway renders every rejection the same
 * way, as an RFC 9457 {@code application/problem+json} body carrying {@link #key()}, and the upstream is not
 * called.
 *
 * <pre>{@code
 * return exchange.reject(Rejection.of(429, "RATE_LIMIT_EXCEEDED")
 *     .message("100 requests per minute")
 *     .header("Retry-After", "12"));
 * }</pre>
 *
 * <p>Instances are immutable; {@link #message(String)} and {@link #header(String, String)} return copies.
 *
 * @param status the HTTP status, 400 to 599
 * @param key a stable, documented error key in UPPER_SNAKE_CASE with a domain prefix, e.g.
 *     {@code API_KEY_MISSING}. Clients branch on it, so it is part of the plugin's public API.
 * @param message a human-readable detail for the client, or {@code null}. Never put secrets here.
 * @param headers extra response headers (e.g. {@code Retry-After}, {@code WWW-Authenticate}); never null
 */
public record Rejection(int status, String key, @Nullable String message, MultiMap headers) {

  public Rejection {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("rejection status must be 400..599, was " + status);
    }
    Objects.requireNonNull(key, "key");
    if (!isErrorKey(key)) {
      throw new IllegalArgumentException("rejection key must be UPPER_SNAKE_CASE, was '" + key + "'");
    }
    headers = MultiMap.caseInsensitiveMultiMap().addAll(Objects.requireNonNull(headers, "headers"));
  }

  /** A rejection with a status and a stable error key, no message and no extra headers. */
  public static Rejection of(int status, String key) {
    return new Rejection(status, key, null, MultiMap.caseInsensitiveMultiMap());
  }

  /** A copy with the given client-facing detail message. */
  public Rejection message(String message) {
    return new Rejection(status, key, Objects.requireNonNull(message, "message"), headers);
  }

  /** A copy with one more response header. */
  public Rejection header(String name, String value) {
    MultiMap copy = MultiMap.caseInsensitiveMultiMap().addAll(headers).add(name, value);
    return new Rejection(status, key, message, copy);
  }

  static boolean isErrorKey(String key) {
    if (key.isEmpty() || key.charAt(0) < 'A' || key.charAt(0) > 'Z') {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (!(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9') && c != '_') {
        return false;
      }
    }
    return true;
  }
}
