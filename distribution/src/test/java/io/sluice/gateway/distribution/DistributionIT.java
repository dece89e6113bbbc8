// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Starts the assembled distribution exactly as a user would ({@code bin/sluice} with the shipped
 * configuration) and proxies a request to the built-in echo upstream through the demo route.
 */
class DistributionIT {

  private final Path home = Path.of(System.getProperty("sluice.distribution.dir", "target/sluice"));

  @Test
  void theShippedGatewayAnswersTheDemoRoute() throws Exception {
    int port = freePort();
    int adminPort = freePort();
    int echoPort = freePort();
    int healthPort = freePort();
    ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/sluice").toString())
        .redirectErrorStream(true)
        .redirectOutput(home.resolve("logs/distribution-it.out").toFile());
    pb.environment().put("SLUICE_PORT", String.valueOf(port));
    pb.environment().put("SLUICE_ADMIN_PORT", String.valueOf(adminPort));
    pb.environment().put("SLUICE_ECHO_PORT", String.valueOf(echoPort));
    pb.environment().put("SLUICE_HEALTH_PORT", String.valueOf(healthPort));
    pb.environment().remove("JAVA_HOME");
    Process process = pb.start();
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      HttpResponse<String> demo = retry(http, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/demo/hello?x=1")).build());
      assertThat(demo.statusCode()).isEqualTo(200);
      assertThat(demo.body()).contains("\"service\" : \"sluice-echo\"").contains("\"path\" : \"/hello\"");
      assertThat(demo.headers().firstValue("Via")).hasValue("1.1 sluice");

      HttpResponse<String> scripted = http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/demo-js/hello")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(scripted.statusCode()).isEqualTo(200);
      assertThat(scripted.body()).containsIgnoringCase("\"x-env\", \"demo\"").doesNotContainIgnoringCase("transfer-encoding");
      assertThat(scripted.headers().firstValue("X-Handled-By")).hasValue("sluice-js");

      HttpResponse<String> ready = http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + "/health/ready")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).as("ready without a token once serving").isEqualTo(200);

      String token = Files.readString(home.resolve("conf/admin.token")).trim();
      HttpResponse<String> health = http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/admin/health"))
              .header("Authorization", "Bearer " + token).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("\"status\" : \"UP\"");

      HttpResponse<String> upstreams = http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/admin/upstreams"))
              .header("Authorization", "Bearer " + token).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(upstreams.statusCode()).isEqualTo(200);
      assertThat(upstreams.body()).contains("\"name\" : \"echo\"").contains("\"health\" : \"healthy\"");
      if (health.body().contains("\"javaVersion\" : \"25")) {
        assertThat(health.body()).as("JDK 25 runs GraalJS with the Graal JIT").contains("\"scriptEngine\" : \"GraalVM CE\"");
      } else {
        assertThat(health.body()).contains("\"scriptEngine\" : \"Interpreted\"");
      }

      HttpResponse<String> plugins = http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/admin/plugins"))
              .header("Authorization", "Bearer " + token).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(plugins.body()).contains("\"id\" : \"ip-filter\"").contains("\"id\" : \"request-size-limit\"")
          .contains("\"id\" : \"cors\"").contains("\"id\" : \"headers\"")
          .contains("\"id\" : \"rate-limit\"").contains("\"id\" : \"cache\"")
          .contains("\"id\" : \"key-auth\"").contains("\"id\" : \"basic-auth\"")
          .contains("\"id\" : \"acl\"").contains("\"id\" : \"scopes\"")
          .contains("\"id\" : \"jwt\"").contains("\"id\" : \"oauth2-introspection\"")
          .doesNotContain("DISABLED").doesNotContain("FAILED");
    } finally {
      process.destroy();
      boolean exited = process.waitFor(60, TimeUnit.SECONDS);
      if (!exited) {
        process.destroyForcibly();
      }
      String out = Files.readString(home.resolve("logs/distribution-it.out"), StandardCharsets.UTF_8);
      assertThat(exited).as("graceful exit on SIGTERM; output:\n" + out).isTrue();
      assertThat(out).contains("listening on").contains("stopped").doesNotContain(readToken());
      assertThat(out).as("the banner says where the generated token is")
          .contains("token in " + home.resolve("conf/admin.token").toAbsolutePath().normalize());
      assertThat(out.lines().filter(l -> l.contains(" INFO ") && (l.contains("pf4j") || l.contains("netty")
          || l.contains("vertx") || l.contains("hazelcast")))).as("library chatter stays at WARN").isEmpty();
    }
  }

  /**
   * docs/authentication.md's own way to keep secrets out of the configuration: {@code bin/sluice hash-secret}
   * reads each secret from stdin, and the shipped gateway, started on a configuration holding only the printed
   * hashes, admits the clear key and password and refuses a wrong one.
   */
  @Test
  void hashSecretMakesCredentialsTheShippedGatewayAccepts() throws Exception {
    String password = "correct horse battery staple";
    String key = "k-" + Long.toHexString(System.nanoTime()) + "-0123456789abcdef";
    String pbkdf2 = hashSecret(password, "--pbkdf2", "--iterations", "100000");
    String sha256 = hashSecret(key, "--sha256");
    assertThat(pbkdf2).startsWith("$pbkdf2-sha256$i=100000$").doesNotContain(password);
    assertThat(sha256).startsWith("sha256:").hasSize(71);

    int port = freePort();
    int echoPort = freePort();
    Path conf = Files.createTempDirectory(home.resolve("logs"), "hash-secret-it");
    Files.writeString(conf.resolve("sluice.yaml"), """
        server: { host: 127.0.0.1, port: %d }
        admin: { enabled: false }
        health: { enabled: false }
        plugins: { dir: "${env:SLUICE_HOME}/plugins" }
        echo: { enabled: true, port: %d }
        consumers:
          - id: alice
            credentials:
              basic-auth: [ { username: alice, password: '%s' } ]
              key-auth: [ { key: '%s' } ]
        routes:
          - { id: basic, path: /basic/**, upstream: "http://127.0.0.1:%2$d", policies: [ { type: basic-auth } ] }
          - { id: key, path: /key/**, upstream: "http://127.0.0.1:%2$d", policies: [ { type: key-auth } ] }
        """.formatted(port, echoPort, pbkdf2, sha256));
    ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/sluice").toString(), "--config",
        conf.resolve("sluice.yaml").toString())
        .redirectErrorStream(true)
        .redirectOutput(conf.resolve("out.log").toFile());
    pb.environment().remove("JAVA_HOME");
    Process process = pb.start();
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(
          ("alice:" + password).getBytes(StandardCharsets.UTF_8));
      HttpResponse<String> admitted = retry(http, HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/basic/x")).header("Authorization", basic).build());
      assertThat(admitted.statusCode()).as(admitted.body()).isEqualTo(200);
      assertThat(admitted.body()).contains("sluice-echo").containsIgnoringCase("\"x-consumer-id\", \"alice\"");
      HttpResponse<String> byKey = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/key/x"))
          .header("X-API-Key", key).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(byKey.statusCode()).isEqualTo(200);
      String wrong = "Basic " + java.util.Base64.getEncoder().encodeToString(
          ("alice:" + password + "!").getBytes(StandardCharsets.UTF_8));
      HttpResponse<String> refused = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/basic/x")).header("Authorization", wrong).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
    } finally {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      assertThat(Files.readString(conf.resolve("out.log"))).doesNotContain(password).doesNotContain(key);
    }
  }

  /** {@code bin/sluice hash-secret ARGS}, the secret written to its stdin as a user would pipe it. */
  private String hashSecret(String secret, String... args) throws Exception {
    java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(home.resolve("bin/sluice").toString(), "hash-secret"));
    command.addAll(java.util.List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().remove("JAVA_HOME");
    Process p = pb.start();
    try (var stdin = p.getOutputStream()) {
      stdin.write((secret + "\n").getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command)).isZero();
    return out;
  }

  private String readToken() throws IOException {
    Path file = home.resolve("conf/admin.token");
    return Files.exists(file) ? Files.readString(file).trim() : "no-token-file";
  }

  private static HttpResponse<String> retry(HttpClient http, HttpRequest request) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

}
