// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.proxy;

import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import io.sluice.gateway.platform.http.FieldLines;
import io.sluice.gateway.platform.http.TrustedProxies;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.ConnectionBase;
import org.jspecify.annotations.Nullable;

/**
 * Sets {@code X-Forwarded-For}, {@code X-Forwarded-Proto}, {@code X-Forwarded-Host} and {@code Via} on the
 * upstream request. The client's own forwarding headers (and {@code Forwarded}, RFC 7239) are kept and
 * extended only when the connection comes from a trusted proxy; otherwise they are replaced, since any
 * client can write them.
 */
final class ForwardedHeaders {

  /**
   * Headers some proxies and CDNs use to name the client, which the gateway does not set: removed from requests
   * of peers that are not trusted proxies, since any client can write them (nginx's {@code X-Real-IP}, CDNs'
   * {@code True-Client-IP}, ...). {@code X-Forwarded-*} and {@code Forwarded} are replaced by {@link #apply}.
   */
  static final String[] CLIENT_ADDRESS_HEADERS = {
    "x-real-ip", "true-client-ip", "x-client-ip", "client-ip", "x-cluster-client-ip", "cf-connecting-ip",
    "fastly-client-ip", "x-original-forwarded-for", "x-originating-ip", "x-remote-ip", "x-remote-addr",
    "x-forwarded-port", "x-forwarded-prefix", "x-forwarded-server", "x-forwarded", "forwarded-for", "x-proxyuser-ip"
  };

  /** The peer's address as text, per connection (see {@link #clientAddress}). */
  private static final AttributeKey<String> PEER_ADDRESS = AttributeKey.valueOf("sluice.peerAddress");

  /** The names the gateway sets, made once (Vert.x writes them as bytes, without hashing a String each time). */
  private static final CharSequence X_FORWARDED_FOR = HttpHeaders.createOptimized("X-Forwarded-For");
  private static final CharSequence X_FORWARDED_PROTO = HttpHeaders.createOptimized("X-Forwarded-Proto");
  private static final CharSequence X_FORWARDED_HOST = HttpHeaders.createOptimized("X-Forwarded-Host");
  static final CharSequence VIA = HttpHeaders.createOptimized("Via");

  static final String VIA_1_1 = "1.1 sluice";
  static final String VIA_2 = "2.0 sluice";

  private final TrustedProxies trusted;

  ForwardedHeaders(TrustedProxies trusted) {
    this.trusted = trusted;
  }

  /** Whether the peer {@code client} ({@link #clientAddress}) is a trusted proxy, whose forwarding headers are believed. */
  boolean trusts(@Nullable String client) {
    return trusted.trusts(client);
  }

  /**
   * The client's IP, or null when the transport has none (e.g. a domain socket). Made into text once per
   * connection and kept on its channel: every exchange asks for it at least twice (the upstream's
   * {@code X-Forwarded-For} and the finished exchange).
   */
  static @Nullable String clientAddress(HttpServerRequest request) {
    if (request.connection() instanceof ConnectionBase base) {
      Attribute<String> cached = base.channel().attr(PEER_ADDRESS);
      String address = cached.get();
      if (address == null) {
        address = peerAddress(request);
        cached.set(address);
      }
      return address;
    }
    return peerAddress(request);
  }

  private static @Nullable String peerAddress(HttpServerRequest request) {
    SocketAddress remote = request.remoteAddress();
    return remote == null ? null : remote.hostAddress();
  }

  /**
   * The address of the client that sent the request: the peer, or — when the peer is a trusted proxy — the
   * right-most {@code X-Forwarded-For} entry that is not itself a trusted proxy. Empty when unknown.
   */
  String originalClient(HttpServerRequest request) {
    String peer = clientAddress(request);
    if (peer == null) {
      return "";
    }
    if (!trusted.trusts(peer)) {
      return peer;
    }
    String xff = FieldLines.joined(request.headers(), "x-forwarded-for");
    if (xff == null) {
      return peer;
    }
    int end = xff.length();
    String candidate = peer;
    while (end > 0) {
      int comma = xff.lastIndexOf(',', end - 1);
      String entry = xff.substring(comma + 1, end).trim();
      end = comma < 0 ? 0 : comma;
      if (entry.isEmpty()) {
        continue;
      }
      candidate = entry;
      if (!trusted.trusts(entry)) {
        break;
      }
    }
    return candidate;
  }

  /**
   * @param client the peer's address ({@link #clientAddress}), resolved once by the caller
   * @param trust whether that peer is a trusted proxy ({@link #trusts})
   */
  void apply(HttpServerRequest request, MultiMap upstreamHeaders, @Nullable String client, boolean trust) {
    MultiMap in = request.headers();

    String xff = trust ? FieldLines.joined(in, "x-forwarded-for") : null;
    String peer = client == null ? "unknown" : client;
    upstreamHeaders.set(X_FORWARDED_FOR, xff == null || xff.isBlank() ? peer : xff + ", " + peer);

    String proto = trust ? in.get("x-forwarded-proto") : null;
    upstreamHeaders.set(X_FORWARDED_PROTO, proto != null ? proto : request.isSSL() ? "https" : "http");

    String fwdHost = trust ? in.get("x-forwarded-host") : null;
    if (fwdHost == null) {
      HostAndPort authority = request.authority();
      fwdHost = authority == null ? null : authority.toString();
    }
    if (fwdHost != null) {
      upstreamHeaders.set(X_FORWARDED_HOST, fwdHost);
    }
    if (trust) {
      String forwarded = FieldLines.joined(in, "forwarded");
      if (forwarded != null) {
        upstreamHeaders.set("Forwarded", forwarded);
      }
    }
    upstreamHeaders.set(VIA, via(FieldLines.joined(in, "via"), request.version()));
  }

  /** Appends this hop to a {@code Via} value (RFC 9110 §7.6.3). */
  static String via(@Nullable String existing, HttpVersion version) {
    String hop = version == HttpVersion.HTTP_2 ? VIA_2 : version == HttpVersion.HTTP_1_0 ? "1.0 sluice" : VIA_1_1;
    return existing == null || existing.isBlank() ? hop : existing + ", " + hop;
  }
}
