// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A gateway in a JVM of its own, for tests that need real cluster members: {@code java}, this test JVM's class
 * path, the flags embedded Hazelcast needs, the main class {@code io.sluice.gateway.platform.SluiceMain} and a
 * configuration file. {@link #start} returns once the node is ready ({@code /health/ready} answers 200 on
 * the health port the configuration names), so the test must write fixed ports into the file: take them from
 * {@link Ports#free()}. The test kit starts the gateway by class name: add {@code io.sluice:sluice-platform}
 * in test scope.
 *
 * <pre>{@code
 * GatewayProcess.Ports ports = GatewayProcess.Ports.free();
 * Files.writeString(config, """
 *     server: { port: %d }
 *     admin: { port: %d, token: secret }
 *     health: { port: %d }
 *     cluster: { backend: hazelcast, port: %d, members: [127.0.0.1:%d, 127.0.0.1:%d] }
 *     """.formatted(ports.proxy(), ports.admin(), ports.health(), ports.cluster(), ...));
 * try (GatewayProcess node = GatewayProcess.start("a", config, ports)) {
 *   // requests to 127.0.0.1:ports.proxy() ...
 *   node.kill();   // SIGKILL; or node.terminate() for SIGTERM
 * }
 * }</pre>
 *
 * <p>The node's output goes to {@code <config's directory>/<name>.log}; a failed start quotes its end.
 */
public final class GatewayProcess implements AutoCloseable {

  private static final String MAIN = "io.sluice.gateway.platform.SluiceMain";

  /** The JVM flags embedded Hazelcast asks for (the same as bin/sluice's). */
  public static final List<String> HAZELCAST_FLAGS = List.of(
      "--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

  /** A node's ports: the proxy, admin and health listeners and its cluster member. */
  public record Ports(int proxy, int admin, int health, int cluster) {
    /** Four ports free now on 127.0.0.1 (another process may take one before the node binds it; rare). */
    public static Ports free() {
      return new Ports(freePort(), freePort(), freePort(), freePort());
    }
  }

  private final String name;
  private final Process process;
  private final Ports ports;
  private final Path log;

  private GatewayProcess(String name, Process process, Ports ports, Path log) {
    this.name = name;
    this.process = process;
    this.ports = ports;
    this.log = log;
  }

  /** Starts a node and waits up to 60 s for it to be ready. */
  public static GatewayProcess start(String name, Path configFile, Ports ports) {
    return start(name, configFile, ports, List.of(), Duration.ofSeconds(60));
  }

  /**
   * Starts a node with extra JVM options and waits up to {@code timeout} for {@code /health/ready}.
   *
   * @throws IllegalStateException when it exits or is not ready in time (it is killed; its log is quoted)
   */
  public static GatewayProcess start(String name, Path configFile, Ports ports, List<String> jvmOptions,
      Duration timeout) {
    Path log = configFile.toAbsolutePath().resolveSibling(name + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
        "-Dpolyglot.engine.WarnInterpreterOnly=false", "-Dpolyglotimpl.AttachLibraryFailureAction=ignore"));
    command.addAll(HAZELCAST_FLAGS);
    if (Runtime.version().feature() >= 23) {
      command.addAll(List.of("--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED"));
    }
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN, "--config",
        configFile.toAbsolutePath().toString()));
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start node " + name, e);
    }
    GatewayProcess node = new GatewayProcess(name, process, ports, log);
    node.awaitReady(timeout);
    return node;
  }

  private void awaitReady(Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    URI ready = URI.create("http://127.0.0.1:" + ports.health() + "/health/ready");
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("node " + name + " exited with " + process.exitValue() + ":\n" + logTail());
      }
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        kill();
        throw new IllegalStateException("interrupted while node " + name + " started", e);
      }
      try {
        process.waitFor(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    kill();
    throw new IllegalStateException("node " + name + " was not ready within " + timeout + ":\n" + logTail());
  }

  /** The node's name, as given to {@link #start}. */
  public String name() {
    return name;
  }

  public Ports ports() {
    return ports;
  }

  /** The proxy listener's base URL, e.g. {@code http://127.0.0.1:40123}. */
  public String url() {
    return "http://127.0.0.1:" + ports.proxy();
  }

  /** The admin listener's base URL. */
  public String adminUrl() {
    return "http://127.0.0.1:" + ports.admin();
  }

  /** Where the node's output goes. */
  public Path log() {
    return log;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * SIGTERM, then waits up to {@code timeout} for the JVM to exit (the gateway drains and leaves the cluster).
   *
   * @return the exit code, or -1 if it is still running after {@code timeout}
   */
  public int terminate(Duration timeout) {
    process.destroy();
    return await(timeout);
  }

  /** SIGKILL: the node dies at once, as in a crash; waits for the JVM to be gone. */
  public void kill() {
    process.destroyForcibly();
    await(Duration.ofSeconds(30));
  }

  private int await(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The last lines of the node's output. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Terminates the node (SIGTERM, 30 s), then kills it if it is still there. */
  @Override
  public void close() {
    if (process.isAlive() && terminate(Duration.ofSeconds(30)) == -1) {
      kill();
    }
  }

  /** The ports {@link #freePort} has handed out in this JVM: a test's nodes are given a port each, never one twice. */
  private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * A port free now on 127.0.0.1, and not one this method has handed out before in this JVM. The kernel may give
   * a port that was just closed again (the probe socket is closed here, and the node binds it later), so a
   * cluster test's twelve ports could otherwise collide with each other.
   */
  public static int freePort() {
    while (true) {
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (HANDED_OUT.add(port)) {
        return port;
      }
    }
  }
}
