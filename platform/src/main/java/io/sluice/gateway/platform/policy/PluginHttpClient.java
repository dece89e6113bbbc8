// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.policy;

import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * The one HTTP client policies share ({@code PolicyContext.httpClient()}), per Vert.x instance and so per
 * gateway. Vert.x's own {@code createShared} clients keep theirs the same way, in a local map of the
 * instance: created on first use, closed with the instance at shutdown, and never seen by a route reload,
 * which creates policies again but must not create clients again.
 */
final class PluginHttpClient {

  private static final String MAP = "sluice.policy-http-client";

  /** Lets the client sit in a local map (which takes only immutable or {@link Shareable} values). */
  private record Holder(WebClient client) implements Shareable {}

  private PluginHttpClient() {}

  static WebClient of(Vertx vertx) {
    LocalMap<String, Holder> map = vertx.sharedData().getLocalMap(MAP);
    return map.computeIfAbsent("client", k -> new Holder(create(vertx))).client();
  }

  private static WebClient create(Vertx vertx) {
    WebClientOptions options = new WebClientOptions()
        .setUserAgent("sluice")
        .setConnectTimeout(5_000)
        .setIdleTimeout(60);
    // Callbacks run on the calling event loop; the pool is shared by all loops, sized above Vert.x's default
    // of 5 connections per host so that one slow introspection endpoint does not queue every request.
    return WebClient.create(vertx, options, new PoolOptions().setHttp1MaxSize(32));
  }
}
