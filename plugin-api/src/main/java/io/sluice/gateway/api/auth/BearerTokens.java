// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api.auth;

import io.sluice.gateway.api.Request;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads a bearer token from a request where a {@link TokenLocation} says, so that every token-based policy
 * finds, refuses and strips tokens the same way. Built once in {@code PolicyFactory.create}; immutable and
 * thread-safe; every method is cheap (no regex, no allocation beyond the token) and runs on the event loop.
 *
 * <pre>{@code
 * BearerTokens tokens = BearerTokens.at(config.token());
 * ...
 * if (tokens.several(exchange.request())) {
 *   return exchange.reject(Rejection.of(401, "TOKEN_INVALID").message("the request carries more than one token"));
 * }
 * String token = tokens.find(exchange.request());
 * if (token == null) {
 *   return MissingCredentials.reject(exchange, Rejection.of(401, "TOKEN_MISSING")
 *       .message("this route needs a token in " + tokens.describe()));
 * }
 * ... verify ...
 * tokens.strip(exchange.request()); // on success only, just before chain.proceed()
 * }</pre>
 */
public final class BearerTokens {

  private final @Nullable String header;
  private final @Nullable String query;
  private final @Nullable String cookie;
  private final boolean bearer;
  private final boolean forward;

  private BearerTokens(TokenLocation location) {
    boolean none = location.header() == null && location.query() == null && location.cookie() == null;
    this.header = none ? "Authorization" : location.header();
    this.query = location.query();
    this.cookie = location.cookie();
    this.bearer = header != null && header.equalsIgnoreCase("Authorization");
    this.forward = location.forwarded();
  }

  /** A reader of tokens at {@code location}. */
  public static BearerTokens at(TokenLocation location) {
    return new BearerTokens(location);
  }

  /**
   * The token, or null when the request carries none where configured. In a header, a {@code Bearer } prefix
   * is removed (the scheme is case-insensitive, RFC 7235 §2.1); in {@code Authorization}, another scheme
   * ({@code Basic ...}) is no token at all. A quoted cookie value is unquoted.
   */
  public @Nullable String find(Request request) {
    String value;
    if (header != null) {
      value = request.headers().get(header);
      if (value != null) {
        value = value.trim();
        if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
          value = value.substring(7).trim();
        } else if (bearer) {
          return null;
        }
      }
    } else if (query != null) {
      value = request.queryParams().get(query);
    } else {
      value = cookie(request.headers().getAll("Cookie"));
    }
    return value == null || value.isEmpty() ? null : value;
  }

  /**
   * The header line carrying the token, exactly as sent ({@code Bearer eyJ...}), when the location is a
   * header; null for a query parameter or a cookie, or when the header is absent. No allocation: a cheap key
   * for a cache of verified tokens, since one line always yields the same {@link #find token}.
   */
  public @Nullable String rawHeader(Request request) {
    return header != null ? request.headers().get(header) : null;
  }

  /**
   * Whether the request carries more than one token candidate where configured (two header lines, two query
   * parameters or two cookies of that name). Refuse such a request: only one could be verified, yet all would
   * reach the upstream, which may read another one than the gateway checked.
   */
  public boolean several(Request request) {
    if (header != null) {
      return request.headers().getAll(header).size() > 1;
    }
    if (query != null) {
      return request.queryParams().getAll(query).size() > 1;
    }
    int found = 0;
    for (String h : request.headers().getAll("Cookie")) {
      for (String pair : h.split(";")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).trim().equals(cookie) && ++found > 1) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Unless the location forwards the token: removes its header, or its cookie from the {@code Cookie} headers
   * (the other cookies stay). Call it once the token is accepted, just before {@code chain.proceed()}: a
   * refusing policy leaves the request as it came, for the next policy of an any-of.
   */
  public void strip(Request request) {
    if (forward) {
      return;
    }
    if (header != null) {
      request.headers().remove(header);
    } else if (cookie != null) {
      List<String> kept = new ArrayList<>();
      for (String h : request.headers().getAll("Cookie")) {
        List<String> pairs = new ArrayList<>();
        for (String pair : h.split(";")) {
          int eq = pair.indexOf('=');
          if (!(eq > 0 && pair.substring(0, eq).trim().equals(cookie)) && !pair.isBlank()) {
            pairs.add(pair.trim());
          }
        }
        if (!pairs.isEmpty()) {
          kept.add(String.join("; ", pairs));
        }
      }
      request.headers().remove("Cookie");
      kept.forEach(c -> request.headers().add("Cookie", c));
    }
  }

  /** Where the token is expected, for a client-facing message: "an Authorization: Bearer header", ... */
  public String describe() {
    if (bearer) {
      return "an Authorization: Bearer header";
    }
    return header != null ? "the " + header + " header" : query != null ? "the '" + query + "' query parameter"
        : "the '" + cookie + "' cookie";
  }

  private @Nullable String cookie(List<String> headers) {
    for (String h : headers) {
      for (String pair : h.split(";")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).trim().equals(cookie)) {
          String v = pair.substring(eq + 1).trim();
          return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
        }
      }
    }
    return null;
  }
}
