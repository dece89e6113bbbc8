// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The client's request as policies see it. Header changes are forwarded upstream. */
public interface Request {

  HttpMethod method();

  /** The normalised path the route matched (never contains {@code ..} or {@code //}). */
  String path();

  /** The raw query string without {@code ?}, or null. */
  @Nullable String query();

  /** The decoded query parameters (parsed on first use). */
  MultiMap queryParams();

  /** The request headers; changes here are what the upstream receives. Hop-by-hop headers are already gone. */
  MultiMap headers();

  /** What the route's path pattern captured: {@code {id}} and named catch-alls. */
  Map<String, String> pathParams();

  /** The host the client asked for, lower-case, without port. */
  String host();

  /**
   * The client's IP address as the gateway sees the connection. Policies that trust {@code X-Forwarded-For}
   * must check the peer against their own trusted-proxy list.
   */
  String remoteAddress();

  /** The request body: streamed to the upstream unless a policy asks for it in full. */
  Body body();
}
