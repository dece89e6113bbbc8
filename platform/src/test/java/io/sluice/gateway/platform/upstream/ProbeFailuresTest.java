// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Probe failures from real sockets, described without Netty's internals. */
class ProbeFailuresTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private Throwable failureOf(Future<?> future) throws Exception {
    return future.transform(ar -> Future.succeededFuture(ar.cause())).toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  private Throwable probe(HttpClientOptions options, int port) throws Exception {
    HttpClient client = vertx.createHttpClient(options.setConnectTimeout(2000));
    return failureOf(client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
        .setURI("/health")).compose(r -> r.send()));
  }

  @Test
  void aClosedPortIsConnectionRefused() throws Exception {
    HttpServer server = vertx.createHttpServer().requestHandler(r -> r.response().end());
    int port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get().actualPort();
    server.close().toCompletionStage().toCompletableFuture().get();

    Throwable refused = probe(new HttpClientOptions(), port);
    assertThat(ProbeFailures.describe(refused, "127.0.0.1:" + port, 2000, false))
        .isEqualTo("connection refused by 127.0.0.1:" + port);
  }

  @Test
  void tlsToAPlainServerIsATlsFailureInWords() throws Exception {
    HttpServer server = vertx.createHttpServer().requestHandler(r -> r.response().end());
    int port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get().actualPort();

    Throwable tls = probe(new HttpClientOptions().setSsl(true).setTrustAll(true), port);
    assertThat(ProbeFailures.describe(tls, "127.0.0.1:" + port, 2000, false))
        .startsWith("TLS handshake with 127.0.0.1:" + port + " failed: ")
        .doesNotContain("Exception");
  }

  @Test
  void anUnknownHostAndATimeoutAreNamed() {
    assertThatThrownBy(() -> InetAddress.getByName("no-such-host.invalid")).satisfies(e ->
        assertThat(ProbeFailures.describe(e, "no-such-host.invalid:8080", 2000, false))
            .isEqualTo("unknown host no-such-host.invalid"));
    assertThat(ProbeFailures.describe(new io.vertx.core.http.StreamResetException(8), "10.0.0.5:8080", 2000, true))
        .isEqualTo("no response from 10.0.0.5:8080 within 2000ms");
  }
}
