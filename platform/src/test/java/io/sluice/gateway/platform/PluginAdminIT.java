// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.platform.TestClient.Reply;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin seam ({@code PolicyFactory.admin()}): a real PF4J plugin jar whose policy type answers under {@code
 * /admin/<type>/...}, behind the admin token, across plugin reloads (the current generation answers; a removed
 * plugin's paths are 404).
 */
@ExtendWith(VertxExtension.class)
class PluginAdminIT {

  @TempDir Path dir;
  Path pluginsDir;
  Path work;
  TestClient client;
  TestBackend backend;
  TestGateway gw;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    pluginsDir = Files.createDirectories(dir.resolve("plugins"));
    work = Files.createDirectories(dir.resolve("build"));
    client = new TestClient(vertx);
    backend = TestBackend.named(vertx, "backend");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (gw != null) {
      gw.close();
    }
    backend.close();
    client.close();
  }

  private void start() {
    gw = TestGateway.start(dir, """
        plugins: { dir: %s, watch: false }
        upstreams:
          app: { targets: ["%s"] }
        routes:
          - { id: plain, path: /plain, upstream: app }
        """.formatted(pluginsDir, backend.url()));
  }

  private Reply admin(HttpMethod method, String path, String body) {
    MultiMap auth = MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + TestGateway.ADMIN_TOKEN);
    return client.send(method, gw.adminPort(), path, auth, body == null ? null : Buffer.buffer(body));
  }

  @Test
  void aPluginsEndpointAnswersBehindTheTokenAndFollowsReloads() throws Exception {
    echoPlugin("1.0.0");
    start();
    Reply r = admin(HttpMethod.POST, "/admin/echo/some/thing?a=1&a=2&b=x", "{\"n\":3}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    assertThat(r.headers().get("Content-Type")).isEqualTo("application/json");
    JsonObject echo = r.json();
    assertThat(echo.getString("version")).isEqualTo("1.0.0");
    assertThat(echo.getString("method")).isEqualTo("POST");
    assertThat(echo.getString("path")).isEqualTo("/some/thing");
    assertThat(echo.getString("a")).isEqualTo("1,2");
    assertThat(echo.getJsonObject("body")).isEqualTo(new JsonObject().put("n", 3));
    assertThat(admin(HttpMethod.GET, "/admin/echo", null).json().getString("path")).isEqualTo("");

    Reply anonymous = client.send(HttpMethod.GET, gw.adminPort(), "/admin/echo", MultiMap.caseInsensitiveMultiMap(),
        null);
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.key()).isEqualTo("ADMIN_UNAUTHORIZED");

    echoPlugin("2.0.0");
    assertThat(admin(HttpMethod.POST, "/admin/plugins/reload", null).status()).isEqualTo(200);
    assertThat(admin(HttpMethod.GET, "/admin/echo", null).json().getString("version")).isEqualTo("2.0.0");

    Files.delete(pluginsDir.resolve("echo.jar"));
    assertThat(admin(HttpMethod.POST, "/admin/plugins/reload", null).status()).isEqualTo(200);
    Reply gone = admin(HttpMethod.GET, "/admin/echo/some/thing", null);
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.key()).isEqualTo("ADMIN_NOT_FOUND");
  }

  @Test
  void refusalsFailuresAndBadBodiesAreProblems() throws Exception {
    echoPlugin("1.0.0");
    start();
    Reply refused = admin(HttpMethod.GET, "/admin/echo/refuse", null);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.headers().get("Content-Type")).isEqualTo("application/problem+json");
    assertThat(refused.key()).isEqualTo("ECHO_REFUSED");
    assertThat(refused.headers().get("X-Why")).isEqualTo("test");
    Reply boom = admin(HttpMethod.GET, "/admin/echo/boom", null);
    assertThat(boom.status()).isEqualTo(500);
    assertThat(boom.key()).isEqualTo("ADMIN_ERROR");
    assertThat(boom.body()).doesNotContain("kaboom");
    Reply bad = admin(HttpMethod.POST, "/admin/echo", "[1, 2");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.key()).isEqualTo("ADMIN_BAD_REQUEST");
    assertThat(admin(HttpMethod.POST, "/admin/echo", "[1]").key()).isEqualTo("ADMIN_BAD_REQUEST");
    // the platform's own paths are not the plugins'
    assertThat(admin(HttpMethod.POST, "/admin/health", null).status()).isEqualTo(405);
    assertThat(admin(HttpMethod.GET, "/admin/nothing", null).key()).isEqualTo("ADMIN_NOT_FOUND");
  }

  /** A jar plugin {@code echo} whose factory answers admin requests with what it got and its version. */
  private void echoPlugin(String version) throws IOException {
    String pkg = "test.plugin.echo";
    Path src = work.resolve("src-" + version).resolve(pkg.replace('.', '/'));
    Files.createDirectories(src);
    Path file = src.resolve("EchoPolicyFactory.java");
    Files.writeString(file, """
        package %s;

        import io.sluice.gateway.api.*;
        import io.sluice.gateway.api.admin.*;
        import io.vertx.core.Future;
        import io.vertx.core.json.JsonObject;

        @org.pf4j.Extension
        public final class EchoPolicyFactory implements PolicyFactory<NoConfig> {
          private final AdminEndpoint admin = request -> {
            if (request.path().equals("/refuse")) {
              return Future.succeededFuture(AdminResponse.rejected(
                  Rejection.of(409, "ECHO_REFUSED").message("no").header("X-Why", "test")));
            }
            if (request.path().equals("/boom")) {
              throw new IllegalStateException("kaboom");
            }
            JsonObject echo = new JsonObject().put("version", "%s").put("method", request.method().name())
                .put("path", request.path()).put("a", String.join(",", request.query().getAll("a")))
                .put("body", request.body());
            return Future.succeededFuture(request.body() == null ? AdminResponse.ok(echo) : AdminResponse.of(201, echo));
          };
          public String type() { return "echo"; }
          public Stage stage() { return Stage.TRANSFORM; }
          public Class<NoConfig> configType() { return NoConfig.class; }
          public Policy create(NoConfig config, PolicyContext context) { return (exchange, chain) -> chain.proceed(); }
          public AdminEndpoint admin() { return admin; }
        }
        """.formatted(pkg, version));
    Path classes = work.resolve("classes-" + version);
    Files.createDirectories(classes);
    int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-proc:none", "--release", "17", "-cp",
        System.getProperty("java.class.path"), "-d", classes.toString(), file.toString());
    assertThat(rc).as("echo plugin compiles").isZero();
    Manifest manifest = new Manifest();
    Attributes a = manifest.getMainAttributes();
    a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    a.putValue("Plugin-Id", "echo");
    a.putValue("Plugin-Version", version);
    a.putValue("Plugin-Requires", ">=0.1.0");
    Path tmp = pluginsDir.resolve("echo.jar.building");
    try (OutputStream out = Files.newOutputStream(tmp); JarOutputStream jar = new JarOutputStream(out, manifest)) {
      jar.putNextEntry(new JarEntry("META-INF/extensions.idx"));
      jar.write((pkg + ".EchoPolicyFactory\n").getBytes(StandardCharsets.UTF_8));
      jar.closeEntry();
      try (Stream<Path> walk = Files.walk(classes)) {
        for (Path c : walk.filter(Files::isRegularFile).toList()) {
          jar.putNextEntry(new JarEntry(classes.relativize(c).toString().replace('\\', '/')));
          jar.write(Files.readAllBytes(c));
          jar.closeEntry();
        }
      }
    }
    Files.move(tmp, pluginsDir.resolve("echo.jar"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
