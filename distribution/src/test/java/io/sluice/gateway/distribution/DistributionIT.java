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
