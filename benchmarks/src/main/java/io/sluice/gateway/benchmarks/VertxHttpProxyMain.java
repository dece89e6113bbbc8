// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.benchmarks;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.httpproxy.HttpProxy;
import java.util.concurrent.TimeUnit;

/**
 * Bare Vert.x {@link HttpProxy} as a reverse proxy to one origin: the reference peer of {@code bench/run.sh}'s
 * {@code vertx-proxy} scenario. Issue #14 asks that a gateway request allocate well under what Vert.x's own
 * proxy does; this is that proxy, with nothing of Sluice in it, measured by the same script, on the same core,
 * with the same JVM flags as the gateway.
 *
 * <pre>VertxHttpProxyMain PORT BACKEND_HOST BACKEND_PORT   (listens on 127.0.0.1:PORT)</pre>
 *
 * <p>Same as Sluice's proxy ({@code Gateway}, {@code GatewayVerticle}, {@code ServerConfig}'s defaults, the
 * bench's {@code eventLoops: 1}): one event loop, native transport preferred, one verticle holding the listener
 * and the upstream client, and the same {@link HttpServerOptions} (TCP_NODELAY, head limits of 16 KiB + 4 KiB
 * and 8,192 + 4,096 characters, 64 KiB body pieces, 60 s idle timeout, h2c off, no automatic 100-continue,
 * no compression either way, the same HTTP/2 settings), {@link HttpClientOptions} (keep-alive with a 30 s
 * timeout, TCP_NODELAY, no decompression, 64 KiB / 16 KiB head limits, 64 KiB pieces) and pool (256 HTTP/1
 * connections).
 *
 * <p>What differs, because it is what a gateway does and a bare proxy does not: no route table, policy chain,
 * request id, connection limit or strict HTTP/1 guard ({@code Http1Guard}), no metrics, analytics or tracing,
 * no upstream balancer, retries or timeouts; {@code HttpProxy}'s own request and response handling (its
 * defaults: hop-by-hop headers dropped, WebSocket support on, no cache) instead of Sluice's. TLS options
 * ({@code verifyHost}, {@code forceSni}) are left out: the origin is plain HTTP. The JVM flags are the
 * gateway's launcher's (bin/sluice), without the GraalJS module path, as bench/run.sh gives them.
 */
public final class VertxHttpProxyMain {

  /** Sluice's upstream connections per target per event loop ({@code GatewayVerticle.UPSTREAM_POOL_SIZE}). */
  private static final int UPSTREAM_POOL_SIZE = 256;
  /** Sluice's largest body piece ({@code GatewayVerticle.MAX_CHUNK_SIZE}). */
  private static final int MAX_CHUNK_SIZE = 64 * 1024;
  /** Sluice's head limits: {@code ServerConfig}'s defaults plus {@code GatewayVerticle.DECODER_SLACK}. */
  private static final int MAX_HEADER_SIZE = 16 * 1024;
  private static final int MAX_URI_LENGTH = 8192;
  private static final int DECODER_SLACK = 4096;

  private VertxHttpProxyMain() {}

  public static void main(String[] args) {
    if (args.length != 3) {
      System.err.println("usage: VertxHttpProxyMain PORT BACKEND_HOST BACKEND_PORT");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    String backendHost = args[1];
    int backendPort = Integer.parseInt(args[2]);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
    vertx
        .deployVerticle(new VerticleBase() {
          @Override
          public Future<?> start() {
            HttpClient client = vertx.createHttpClient(
                new HttpClientOptions()
                    .setKeepAlive(true)
                    .setKeepAliveTimeout(30)
                    .setTcpNoDelay(true)
                    .setDecompressionSupported(false)
                    .setMaxHeaderSize(64 * 1024)
                    .setMaxInitialLineLength(16 * 1024)
                    .setMaxChunkSize(MAX_CHUNK_SIZE),
                new PoolOptions().setHttp1MaxSize(UPSTREAM_POOL_SIZE));
            HttpProxy proxy = HttpProxy.reverseProxy(client).origin(backendPort, backendHost);
            return vertx.createHttpServer(serverOptions(port)).requestHandler(proxy).listen();
          }
        })
        .onSuccess(id -> System.out.println("HttpProxy on 127.0.0.1:" + port + " -> " + backendHost + ":"
            + backendPort + " (native transport: " + vertx.isNativeTransportEnabled() + ")"))
        .onFailure(e -> {
          e.printStackTrace();
          System.exit(1);
        });
  }

  private static HttpServerOptions serverOptions(int port) {
    return new HttpServerOptions()
        .setHost("127.0.0.1")
        .setPort(port)
        .setTcpNoDelay(true)
        .setMaxHeaderSize(MAX_HEADER_SIZE + DECODER_SLACK)
        .setMaxInitialLineLength(MAX_URI_LENGTH + DECODER_SLACK)
        .setMaxChunkSize(MAX_CHUNK_SIZE)
        .setIdleTimeout(60_000)
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setHttp2ClearTextEnabled(false)
        .setHandle100ContinueAutomatically(false)
        .setCompressionSupported(false)
        .setDecompressionSupported(false)
        .setInitialSettings(
            new Http2Settings()
                .setMaxConcurrentStreams(100)
                .setInitialWindowSize(65_535)
                .setMaxHeaderListSize(MAX_HEADER_SIZE))
        .setHttp2ConnectionWindowSize(1024 * 1024);
  }
}
