// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.jwt;

import io.sluice.gateway.api.Request;
import org.jspecify.annotations.Nullable;

/** Finds the token in a request, where {@link TokenSourceConfig} says. */
final class TokenSource {

  private final @Nullable String header;
  private final @Nullable String query;
  private final @Nullable String cookie;
  private final boolean bearer;
  private final boolean forward;

  TokenSource(TokenSourceConfig config) {
    this.header = config.header() == null && config.query() == null && config.cookie() == null ? "Authorization" : config.header();
    this.query = config.query();
    this.cookie = config.cookie();
    this.bearer = header != null && header.equalsIgnoreCase("Authorization");
    this.forward = config.forward();
  }

  /** Unless the token is forwarded: removes its header, or its cookie from the {@code Cookie} headers. */
  void strip(Request request) {
    if (forward) {
      return;
    }
    if (header != null) {
      request.headers().remove(header);
    } else if (cookie != null) {
      java.util.List<String> kept = new java.util.ArrayList<>();
      for (String h : request.headers().getAll("Cookie")) {
        java.util.List<String> pairs = new java.util.ArrayList<>();
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

  /**
   * Whether the request carries more than one token candidate where configured (two header lines, two query
   * parameters or two cookies of that name). Such a request is refused: only one could be verified, yet all
   * would reach the upstream, which may read another one than the gateway checked.
   */
  boolean several(Request request) {
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

  /** The token, or null when the request carries none where configured. */
  @Nullable String find(Request request) {
    String value;
    if (header != null) {
      value = request.headers().get(header);
      if (value != null) {
        value = value.trim();
        // RFC 6750 §2.1: "Bearer" then the token; the scheme is case-insensitive (RFC 7235 §2.1).
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

  /** Where the token is expected, for the message of a 401. */
  String describe() {
    if (bearer) {
      return "an Authorization: Bearer header";
    }
    return header != null ? "the " + header + " header" : query != null ? "the '" + query + "' query parameter"
        : "the '" + cookie + "' cookie";
  }

  private @Nullable String cookie(java.util.List<String> headers) {
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
