// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.testkit;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real gateway in this JVM, configured from YAML, on ephemeral ports. The plugin under test is found on the
 * class path (its {@code @Extension} factories, as for built-ins), so an integration test needs no jar. The
 * gateway itself must be on the test class path too: {@code io.sluice:sluice-platform} in test scope.
 *
 * <pre>{@code
 * try (TestBackend backend = new TestBackend();
 *     GatewayHarness gateway = GatewayHarness.start(dir, """
 *         routes:
 *           - id: api
 *             path: /**
 *             upstream: %s
 *             policies: [ { type: ip-filter, config: { deny: [127.0.0.0/8] } } ]
 *         """.formatted(backend.url()))) {
 *   assertThat(gateway.get("/x").status()).isEqualTo(403);
 *   assertThat(backend.hits()).isZero();
 * }
 * }</pre>
 */
public final class GatewayHarness implements AutoCloseable {

  /** A complete response. */
  public record Reply(int status, MultiMap headers, String body) {}

  private final EmbeddedGateway gateway;
  private @org.jspecify.annotations.Nullable Path accessLog;
  private final Vertx clientVertx = Vertx.vertx();
  private final HttpClient client = clientVertx.createHttpClient();

  private GatewayHarness(EmbeddedGateway gateway) {
    this.gateway = gateway;
  }

  /**
   * @param dir a temporary directory for the config file and the (empty) plugins directory
   * @param yaml upstreams, routes and global policies; the server, admin and logging sections are fixed
   */
  public static GatewayHarness start(Path dir, String yaml) {
    return startWithServer(dir, "", yaml);
  }

  /**
   * Like {@link #start(Path, String)}, with more {@code server} settings, written inside its flow map, e.g.
   * {@code "consumerHeaders: { id: X-User }"}.
   */
  public static GatewayHarness startWithServer(Path dir, String serverSettings, String yaml) {
    try {
      Path file = dir.resolve("sluice.yaml");
      Files.writeString(file, """
          server: { host: 127.0.0.1, port: 0, eventLoops: 1%s }
          admin: { enabled: false }
          health: { port: 0 }
          accessLog: { enabled: false }
          reload: { watch: false }
          plugins: { dir: "%s", watch: false }
          %s
          """.formatted(serverSettings.isBlank() ? "" : ", " + serverSettings, dir.resolve("plugins"), yaml));
      return new GatewayHarness(EmbeddedGateway.start(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Like {@link #start(Path, String)}, with {@code eventLoops} event loops (requests on separate connections
   * spread over them) and the access log written to {@code dir/access.log}, read with {@link #accessLog()}:
   * for tests that prove something across event loops, or that no credential reaches the access log.
   */
  public static GatewayHarness start(Path dir, String yaml, int eventLoops) {
    try {
      Path file = dir.resolve("sluice.yaml");
      Files.writeString(file, """
          server: { host: 127.0.0.1, port: 0, eventLoops: %d }
          admin: { enabled: false }
          health: { port: 0 }
          accessLog: { target: file, file: access.log }
          reload: { watch: false }
          plugins: { dir: "%s", watch: false }
          %s
          """.formatted(eventLoops, dir.resolve("plugins"), yaml));
      GatewayHarness harness = new GatewayHarness(EmbeddedGateway.start(file));
      harness.accessLog = dir.resolve("access.log");
      return harness;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The access log lines written so far (the log is written off the event loop: wait for the count you
   * expect, e.g. with Awaitility). Only for a gateway started with {@link #start(Path, String, int)}.
   */
  public java.util.List<String> accessLog() {
    if (accessLog == null) {
      throw new IllegalStateException("the access log is off: start the gateway with start(dir, yaml, eventLoops)");
    }
    try {
      return Files.exists(accessLog) ? Files.readAllLines(accessLog) : java.util.List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return gateway.port();
  }

  public Reply get(String uri) {
    return send(HttpMethod.GET, uri, MultiMap.caseInsensitiveMultiMap(), null);
  }

  public Reply send(HttpMethod method, String uri, MultiMap headers, Buffer body) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port()).setURI(uri);
    io.vertx.core.Promise<Reply> reply = io.vertx.core.Promise.promise();
    clientVertx.getOrCreateContext().runOnContext(v -> client.request(options)
        .compose(req -> {
          req.headers().addAll(headers);
          return body == null ? req.send() : req.send(body);
        })
        .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.headers(), b.toString())))
        .onComplete(reply));
    return reply.future().await();
  }

  /** A POST whose body is sent chunked (no {@code Content-Length}), in the given pieces. */
  public Reply postChunked(String uri, Buffer... chunks) {
    io.vertx.core.Promise<Reply> reply = io.vertx.core.Promise.promise();
    clientVertx.getOrCreateContext().runOnContext(v -> client.request(HttpMethod.POST, port(), "127.0.0.1", uri)
        .compose(req -> {
          req.setChunked(true);
          for (Buffer chunk : chunks) {
            req.write(chunk);
          }
          req.end();
          return req.response();
        })
        .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.headers(), b.toString())))
        .onComplete(reply));
    return reply.future().await();
  }

  @Override
  public void close() {
    gateway.close();
    clientVertx.close().await();
  }
}
