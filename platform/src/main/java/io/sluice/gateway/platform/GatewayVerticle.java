// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import io.sluice.gateway.platform.accesslog.AccessLog;
import io.sluice.gateway.platform.config.ServerConfig;
import io.sluice.gateway.platform.http.ProblemResponse;
import io.sluice.gateway.platform.http.RequestIds;
import io.sluice.gateway.platform.proxy.ProxyHandler;
import io.sluice.gateway.platform.proxy.RoutingSnapshot;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One proxy listener and one upstream connection pool, on one event loop. The gateway deploys one instance
 * per event loop; Vert.x spreads accepted connections over them.
 */
final class GatewayVerticle extends VerticleBase {

  /** Upstream connections per target per event loop; Vert.x's default of 5 throttles a proxy. */
  private static final int UPSTREAM_POOL_SIZE = 256;
  /**
   * The largest piece a body is handed on in. Netty's default (8 KiB) split a 10 KiB response into two pieces,
   * and each piece relayed is a write and a system call of its own; a piece is a slice of what one read
   * returned, so a larger limit costs no memory.
   */
  private static final int MAX_CHUNK_SIZE = 64 * 1024;

  private final ServerConfig config;
  private final Supplier<RoutingSnapshot> routing;
  private final AccessLog accessLog;
  private final AtomicInteger connections;
  private final AtomicInteger boundPort;
  private HttpServer server;
  private HttpClient client;

  /**
   * @param connections open proxy connections, shared by all instances
   * @param boundPort receives the port the listener bound
   */
  GatewayVerticle(
      ServerConfig config,
      Supplier<RoutingSnapshot> routing,
      AccessLog accessLog,
      AtomicInteger connections,
      AtomicInteger boundPort) {
    this.config = config;
    this.boundPort = boundPort;
    this.routing = routing;
    this.accessLog = accessLog;
    this.connections = connections;
  }

  @Override
  public Future<?> start() {
    client = vertx.createHttpClient(
        new HttpClientOptions()
            .setKeepAlive(true)
            .setKeepAliveTimeout(30)
            .setTcpNoDelay(true)
            .setDecompressionSupported(false)
            .setMaxHeaderSize(64 * 1024)
            .setMaxInitialLineLength(16 * 1024)
            .setMaxChunkSize(MAX_CHUNK_SIZE)
            .setVerifyHost(true)
            .setForceSni(true),
        new PoolOptions().setHttp1MaxSize(UPSTREAM_POOL_SIZE));
    server = vertx.createHttpServer(serverOptions(config));
    server.connectionHandler(this::limitConnections);
    server.invalidRequestHandler(GatewayVerticle::invalidRequest);
    server.requestHandler(new ProxyHandler(vertx, client, routing, config, accessLog));
    return server.listen().onSuccess(s -> boundPort.set(s.actualPort()));
  }

  static HttpServerOptions serverOptions(ServerConfig config) {
    return new HttpServerOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setTcpNoDelay(true)
        .setMaxHeaderSize((int) config.maxHeaderSize().bytes())
        .setMaxInitialLineLength(config.maxUriLength())
        .setMaxChunkSize(MAX_CHUNK_SIZE)
        .setIdleTimeout((int) config.idleTimeout().toMillis())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setHttp2ClearTextEnabled(true)
        .setHandle100ContinueAutomatically(false)
        .setCompressionSupported(false)
        .setDecompressionSupported(false)
        // Envoy's edge guidance: 100 streams, 64 KiB stream window, 1 MiB connection window.
        .setInitialSettings(
            new Http2Settings()
                .setMaxConcurrentStreams(config.http2MaxConcurrentStreams())
                .setInitialWindowSize(65_535)
                .setMaxHeaderListSize((int) config.maxHeaderSize().bytes()))
        .setHttp2ConnectionWindowSize(1024 * 1024);
  }

  /** Closes connections beyond {@code server.maxConnections} (counted across all event loops). */
  private void limitConnections(HttpConnection connection) {
    if (connections.incrementAndGet() > config.maxConnections()) {
      connections.decrementAndGet();
      connection.close();
      return;
    }
    connection.closeHandler(v -> connections.decrementAndGet());
  }

  /** Requests Netty could not parse: oversized line or headers, malformed syntax. */
  private static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status = 400;
    String key = "REQUEST_MALFORMED";
    String detail = "the request could not be parsed";
    if (cause instanceof TooLongHttpLineException) {
      status = 414;
      key = "URI_TOO_LONG";
      detail = "the request line is too long";
    } else if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
      status = 431;
      key = "HEADERS_TOO_LARGE";
      detail = "the request headers are too large";
    }
    request.response().putHeader("Connection", "close");
    ProblemResponse.send(request.response(), status, key, detail, RequestIds.newId(), null)
        .onComplete(v -> request.connection().close());
  }

  /** Stops accepting, lets requests in flight finish for up to {@code shutdownGrace}, then closes. */
  @Override
  public Future<?> stop() {
    long grace = config.shutdownGrace().toMillis();
    return server.shutdown(grace, TimeUnit.MILLISECONDS).eventually(() -> client.shutdown(1, TimeUnit.SECONDS));
  }
}
