// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.jwt;

import io.sluice.gateway.api.Rejection;

/**
 * The policy's refusals: 401 with a stable key and an RFC 6750 §3 {@code WWW-Authenticate} challenge. The
 * messages are fixed texts: they never carry the token, a claim value or key material.
 */
final class Refusal {

  static final String TOKEN_MISSING = "TOKEN_MISSING";
  static final String TOKEN_INVALID = "TOKEN_INVALID";
  static final String TOKEN_EXPIRED = "TOKEN_EXPIRED";
  static final String TOKEN_NOT_YET_VALID = "TOKEN_NOT_YET_VALID";
  static final String TOKEN_CLAIMS_INVALID = "TOKEN_CLAIMS_INVALID";
  static final String TOKEN_CONSUMER_UNKNOWN = "TOKEN_CONSUMER_UNKNOWN";
  static final String AUTH_UNAVAILABLE = "AUTH_UNAVAILABLE";

  private final String realm;

  Refusal(String realm) {
    this.realm = realm;
  }

  /** No credentials: a bare challenge, without an error code (RFC 6750 §3.1). */
  Rejection missing(String where) {
    return Rejection.of(401, TOKEN_MISSING).message("this route needs a token in " + where)
        .header("WWW-Authenticate", "Bearer realm=\"" + realm + "\"");
  }

  /** A token that is refused; {@code description} is a fixed text, quoted into the challenge. */
  Rejection invalid(String key, String description) {
    return Rejection.of(401, key).message(description).header("WWW-Authenticate",
        "Bearer realm=\"" + realm + "\", error=\"invalid_token\", error_description=\"" + description + "\"");
  }

  /** The keys could not be fetched: the client is not at fault, and may retry. */
  Rejection unavailable() {
    return Rejection.of(503, AUTH_UNAVAILABLE).message("the token cannot be verified right now").header("Retry-After", "5");
  }
}
