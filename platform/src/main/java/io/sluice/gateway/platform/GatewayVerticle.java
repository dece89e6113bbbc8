// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import io.sluice.gateway.platform.config.ServerConfig;
import io.sluice.gateway.platform.edge.HeadLimits;
import io.sluice.gateway.platform.edge.Http1Guard;
import io.sluice.gateway.platform.exchange.ExchangeListener;
import io.sluice.gateway.platform.proxy.PolicyUpstreams;
import io.sluice.gateway.platform.proxy.ProxyHandler;
import io.sluice.gateway.platform.proxy.RoutingSnapshot;
import io.sluice.gateway.platform.tracing.Tracing;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

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
  /**
   * Head room above the configured head limits for Netty's decoder: the edge's {@link Http1Guard} enforces the
   * limits itself, exactly, so the decoder never refuses a head the guard let through.
   */
  private static final int DECODER_SLACK = 4096;

  private final ServerConfig config;
  private final Supplier<RoutingSnapshot> routing;
  private final @Nullable ExchangeListener exchanges;
  private final AtomicInteger connections;
  private final AtomicInteger boundPort;
  private final HeadLimits headLimits;
  private @Nullable Tracing tracing;
  private @Nullable PolicyUpstreams policyUpstreams;
  private HttpServer server;
  private HttpClient client;

  /**
   * @param exchanges told about every finished exchange (the access log, the metrics); null when nobody listens
   * @param connections open proxy connections, shared by all instances
   * @param boundPort receives the port the listener bound
   */
  GatewayVerticle(
      ServerConfig config,
      Supplier<RoutingSnapshot> routing,
      @Nullable ExchangeListener exchanges,
      AtomicInteger connections,
      AtomicInteger boundPort) {
    this.config = config;
    this.boundPort = boundPort;
    this.routing = routing;
    this.exchanges = exchanges;
    this.connections = connections;
    this.headLimits =
        new HeadLimits(config.maxUriLength(), (int) config.maxHeaderSize().bytes(), config.maxHeaderCount());
  }

  /** Where this loop's proxy handler is registered for policies' own upstream requests; set before deployment. */
  GatewayVerticle policyUpstreams(PolicyUpstreams upstreams) {
    this.policyUpstreams = upstreams;
    return this;
  }

  /** Tracing for this listener's exchanges (null: off); set before deployment. */
  GatewayVerticle tracing(@Nullable Tracing tracing) {
    this.tracing = tracing;
    return this;
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
    ProxyHandler proxy = new ProxyHandler(vertx, client, routing, config, exchanges, tracing);
    server.invalidRequestHandler(proxy::invalidRequest);
    server.requestHandler(proxy);
    if (policyUpstreams != null) {
      policyUpstreams.register(proxy);
    }
    return server.listen().onSuccess(s -> boundPort.set(s.actualPort()));
  }

  static HttpServerOptions serverOptions(ServerConfig config) {
    return new HttpServerOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setTcpNoDelay(true)
        .setMaxHeaderSize((int) config.maxHeaderSize().bytes() + DECODER_SLACK)
        .setMaxInitialLineLength(config.maxUriLength() + DECODER_SLACK)
        .setMaxChunkSize(MAX_CHUNK_SIZE)
        .setIdleTimeout((int) config.idleTimeout().toMillis())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        // h2c makes Vert.x set up HTTP/1 only once the first bytes are in, past the connection limit and the edge
        // guard: off unless asked for (nginx and Envoy do not speak h2c on an edge listener by default either).
        .setHttp2ClearTextEnabled(config.http2Cleartext())
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

  /**
   * Runs when a connection is accepted (before its first byte, with h2c off): closes connections beyond
   * {@code server.maxConnections} (counted across all event loops) and puts the strict HTTP/1 guard in front of
   * the decoder.
   */
  private void limitConnections(HttpConnection connection) {
    if (connections.incrementAndGet() > config.maxConnections()) {
      connections.decrementAndGet();
      connection.close();
      return;
    }
    connection.closeHandler(v -> connections.decrementAndGet());
    if (!config.http2Cleartext()) {
      Http1Guard.install(
          connection, headLimits, config.headersTimeout().toMillis(), config.lingerTimeout().toMillis());
    }
  }

  /** Stops accepting, lets requests in flight finish for up to {@code shutdownGrace}, then closes. */
  @Override
  public Future<?> stop() {
    long grace = config.shutdownGrace().toMillis();
    return server.shutdown(grace, TimeUnit.MILLISECONDS).eventually(() -> client.shutdown(1, TimeUnit.SECONDS));
  }
}
