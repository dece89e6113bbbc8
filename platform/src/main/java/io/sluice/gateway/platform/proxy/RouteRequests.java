// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.proxy;

import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.api.Exchange;
import io.sluice.gateway.api.RouteUpstream;
import io.sluice.gateway.api.UpstreamResponse;
import io.sluice.gateway.api.UpstreamUnavailableException;
import io.sluice.gateway.platform.http.RequestIds;
import io.sluice.gateway.platform.plugin.PluginGeneration;
import io.sluice.gateway.platform.route.Route;
import io.sluice.gateway.platform.upstream.Upstream;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import org.jspecify.annotations.Nullable;

/**
 * One route's {@link RouteUpstream}, bound to the route of the configuration its policies belong to. Builds the
 * upstream request as {@link UpstreamCall} does for a proxied one (the same header sets, forwarding and consumer
 * headers, {@code Host} rules, hash key), then hands it to a {@link PolicyUpstreamCall}; the plugin generation is
 * held until the call completes.
 */
final class RouteRequests implements RouteUpstream {

  private final PolicyUpstreams loops;
  private final PluginGeneration generation;
  private volatile @Nullable Route route;

  RouteRequests(PolicyUpstreams loops, PluginGeneration generation) {
    this.loops = loops;
    this.generation = generation;
  }

  void bind(Route route) {
    this.route = route;
  }

  @Override
  public Future<UpstreamResponse> send(HttpMethod method, String uri, MultiMap headers, long maxBodyBytes) {
    return request(null, method, uri, headers, maxBodyBytes);
  }

  @Override
  public Future<UpstreamResponse> send(Exchange origin, HttpMethod method, String uri, MultiMap headers,
      long maxBodyBytes) {
    return request(origin, method, uri, headers, maxBodyBytes);
  }

  private Future<UpstreamResponse> request(@Nullable Exchange origin, HttpMethod method, String uri, MultiMap headers,
      long maxBodyBytes) {
    Route r = route;
    ProxyHandler proxy = loops.handlerForCaller();
    if (r == null || proxy == null) {
      return failed("UPSTREAM_UNSUPPORTED", "the route's upstream is not serving yet");
    }
    String upstreamUri = r.upstreamUri(uri);
    if (upstreamUri == null) {
      return failed("UPSTREAM_PATH_INVALID", "route '" + r.id() + "' does not match the path of " + uri);
    }
    if (maxBodyBytes < 0) {
      return Future.failedFuture(new IllegalArgumentException("maxBodyBytes must be >= 0, was " + maxBodyBytes));
    }
    HttpServerRequest client = origin instanceof GatewayExchange g ? g.serverRequest() : null;
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    // The caller's headers as an untrusted peer's: a policy may have copied client-address headers from a client.
    HopByHopHeaders.copy(headers, out, UpstreamCall.NOT_COPIED_UNTRUSTED);
    Consumer consumer = origin == null ? null : origin.consumer();
    String hashKey = null;
    Upstream u = r.upstream();
    if (client != null) {
      String peer = ForwardedHeaders.clientAddress(client);
      proxy.forwarded.apply(client, out, peer, proxy.forwarded.trusts(peer));
      if (u.hashes()) {
        int q = uri.indexOf('?');
        hashKey = u.hashKey(client, proxy.forwarded.originalClient(client), q < 0 ? uri : uri.substring(0, q));
      }
    } else {
      out.set("Via", ForwardedHeaders.VIA_1_1);
    }
    proxy.consumerHeaders.apply(out, consumer);
    out.set(RequestIds.HEADER, RequestIds.newId());
    HostAndPort authority = null;
    if (r.preserveHost()) {
      String host = client != null && client.authority() != null ? client.authority().toString()
          : headers.get(HttpHeaders.HOST);
      authority = host == null ? null : HostAndPort.parseAuthority(host, -1);
    } else if (r.upstreamHost() != null) {
      authority = HostAndPort.parseAuthority(r.upstreamHost(), -1);
    }
    generation.enter();
    Future<UpstreamResponse> done;
    try {
      done = new PolicyUpstreamCall(proxy, r, method, upstreamUri, out, authority, hashKey, maxBodyBytes).start();
    } catch (RuntimeException e) {
      generation.exit();
      throw e;
    }
    return done.onComplete(ar -> generation.exit());
  }

  private static Future<UpstreamResponse> failed(String key, String message) {
    return Future.failedFuture(new UpstreamUnavailableException(key, message));
  }
}
