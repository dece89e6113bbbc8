// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.upstream;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import org.jspecify.annotations.Nullable;

/** What a {@code consistent-hash} upstream hashes: parsed once from {@code hashOn} at load. */
sealed interface HashKey {

  /**
   * The key of a request, or null when it has none (the request is then balanced round-robin).
   *
   * @param clientAddress the client's address as the gateway trusts it (forwarding headers only from trusted
   *     proxies)
   * @param path the normalised request path
   */
  @Nullable String of(HttpServerRequest request, String clientAddress, String path);

  /** Parses {@code client-ip}, {@code path}, {@code header:NAME} or {@code cookie:NAME} (validated in config). */
  static HashKey parse(String hashOn) {
    if (hashOn.equals("client-ip")) {
      return new ClientIp();
    }
    if (hashOn.equals("path")) {
      return new RequestPath();
    }
    if (hashOn.startsWith("header:")) {
      return new Header(hashOn.substring("header:".length()));
    }
    return new CookieValue(hashOn.substring("cookie:".length()));
  }

  /** The client's address. */
  record ClientIp() implements HashKey {
    @Override
    public String of(HttpServerRequest request, String clientAddress, String path) {
      return clientAddress;
    }
  }

  /** The normalised path (no query). */
  record RequestPath() implements HashKey {
    @Override
    public String of(HttpServerRequest request, String clientAddress, String path) {
      return path;
    }
  }

  /** A request header's first value. */
  record Header(String name) implements HashKey {
    @Override
    public @Nullable String of(HttpServerRequest request, String clientAddress, String path) {
      return request.getHeader(name);
    }
  }

  /** A cookie's value. */
  record CookieValue(String name) implements HashKey {
    @Override
    public @Nullable String of(HttpServerRequest request, String clientAddress, String path) {
      Cookie c = request.getCookie(name);
      return c == null ? null : c.getValue();
    }
  }
}
