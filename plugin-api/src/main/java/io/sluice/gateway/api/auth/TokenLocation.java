// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api.auth;

import io.sluice.gateway.api.config.ConfigException;
import org.jspecify.annotations.Nullable;

/**
 * Where a request carries its bearer token: the {@code token:} object of a token-based policy's config
 * ({@code jwt}, {@code oauth2-introspection}), bound by the gateway like any config record. At most one of
 * {@code header}, {@code query} and {@code cookie}; with none, {@code Authorization: Bearer} (RFC 6750 §2.1).
 * Read requests with {@link BearerTokens#at(TokenLocation)}.
 *
 * <pre>{@code
 * public record MyConfig(@Nullable TokenLocation token) {
 *   public MyConfig {
 *     token = token != null ? token : TokenLocation.BEARER;
 *   }
 * }
 * }</pre>
 *
 * @param header a request header holding the token, optionally with a {@code Bearer } prefix
 * @param query a query parameter holding the token
 * @param cookie a cookie holding the token
 * @param forward whether the upstream receives the token too (default true, so that a service may check it
 *     again); false removes the header or the cookie before proxying. A query parameter cannot be removed.
 */
public record TokenLocation(@Nullable String header, @Nullable String query, @Nullable String cookie,
    @Nullable Boolean forward) {

  /** {@code Authorization: Bearer <token>} (RFC 6750 §2.1), forwarded. */
  public static final TokenLocation BEARER = new TokenLocation(null, null, null, null);

  /** A location whose token is forwarded. */
  public TokenLocation(@Nullable String header, @Nullable String query, @Nullable String cookie) {
    this(header, query, cookie, null);
  }

  /**
   * Defaults {@code forward} to true and validates.
   *
   * @throws ConfigException naming the field: two locations at once, a blank name, or {@code forward: false}
   *     with a query parameter
   */
  public TokenLocation {
    forward = forward != null ? forward : true;
    if (!forward && query != null) {
      throw new ConfigException("forward", "cannot be false with a query parameter: the gateway does not rewrite"
          + " the query string");
    }
    int set = (header != null ? 1 : 0) + (query != null ? 1 : 0) + (cookie != null ? 1 : 0);
    if (set > 1) {
      throw new ConfigException("", "name one of header, query or cookie, not several");
    }
    if (header != null && header.isBlank()) {
      throw new ConfigException("header", "must not be blank");
    }
    if (query != null && query.isBlank()) {
      throw new ConfigException("query", "must not be blank");
    }
    if (cookie != null && cookie.isBlank()) {
      throw new ConfigException("cookie", "must not be blank");
    }
  }

  /** Whether the token goes on to the upstream (never null after construction). */
  public boolean forwarded() {
    return forward == null || forward;
  }
}
