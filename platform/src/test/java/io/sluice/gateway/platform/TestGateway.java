// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real gateway started in-process from a YAML file in a temporary directory, on ephemeral ports, with its
 * access log in that directory.
 */
final class TestGateway implements AutoCloseable {

  static final String ADMIN_TOKEN = "test-admin-token-0123456789";

  final Gateway gateway;
  final Path configFile;
  final Path accessLog;

  private TestGateway(Gateway gateway, Path configFile, Path accessLog) {
    this.gateway = gateway;
    this.configFile = configFile;
    this.accessLog = accessLog;
  }

  /**
   * @param dir a temporary directory
   * @param body YAML after the fixed server/admin/accessLog header: upstreams, routes, extra sections
   */
  static TestGateway start(Path dir, String body) {
    Path file = dir.resolve("sluice.yaml");
    Path accessLog = dir.resolve("access.log");
    write(file, config(accessLog, "", body));
    return new TestGateway(Gateway.start(file), file, accessLog);
  }

  /** Like {@link #start(Path, String)}, with the whole file text passed through {@code edit} first. */
  static TestGateway startEdited(Path dir, String body, java.util.function.UnaryOperator<String> edit) {
    Path file = dir.resolve("sluice.yaml");
    Path accessLog = dir.resolve("access.log");
    write(file, edit.apply(config(accessLog, "", body)));
    return new TestGateway(Gateway.start(file), file, accessLog);
  }

  /** Like {@link #start(Path, String)} with extra keys under {@code server:} (indented by the caller). */
  static TestGateway start(Path dir, String serverExtras, String body) {
    Path file = dir.resolve("sluice.yaml");
    Path accessLog = dir.resolve("access.log");
    write(file, config(accessLog, serverExtras, body));
    return new TestGateway(Gateway.start(file), file, accessLog);
  }

  static String config(Path accessLog, String serverExtras, String body) {
    return """
        server:
          host: 127.0.0.1
          port: 0
          eventLoops: 2
        %s
        admin:
          port: 0
          token: %s
        health:
          port: 0
        accessLog:
          target: file
          file: %s
        reload:
          watch: false
        %s
        """.formatted(serverExtras, ADMIN_TOKEN, accessLog, body);
  }

  /**
   * An upstream {@code pool} over {@code targets} with extra {@code settings} (YAML keys of the upstream, one
   * per line), and a catch-all route {@code r} to it.
   */
  static String pool(String settings, TestBackend... targets) {
    return """
        upstreams:
          pool:
            targets: [%s]
        %s
        routes:
          - { id: r, path: "/**", upstream: pool }
        """.formatted(targets(targets), settings.indent(4));
  }

  /** The targets' URLs as the items of a YAML flow list: {@code "http://127.0.0.1:1", "http://127.0.0.1:2"}. */
  static String targets(TestBackend... targets) {
    StringBuilder list = new StringBuilder();
    for (TestBackend t : targets) {
      list.append(list.isEmpty() ? "" : ", ").append('"').append(t.url()).append('"');
    }
    return list.toString();
  }

  /** Replaces the configuration file's routes and upstreams (the header stays). */
  void rewrite(String body) {
    write(configFile, config(accessLog, "", body));
  }

  static void write(Path file, String text) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return gateway.port();
  }

  int adminPort() {
    return gateway.adminPort();
  }

  /** The access log lines written so far (waits briefly for the background writer). */
  List<String> accessLogLines() throws IOException, InterruptedException {
    for (int i = 0; i < 50 && !Files.exists(accessLog); i++) {
      Thread.sleep(20);
    }
    return Files.readAllLines(accessLog);
  }

  @Override
  public void close() throws Exception {
    gateway.close();
  }
}
