// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.platform.config.ConfigLoader;
import io.sluice.gateway.platform.plugin.PluginGeneration;
import io.sluice.gateway.platform.plugin.PluginHost;
import io.sluice.gateway.platform.policy.PolicyRegistry;
import io.sluice.gateway.platform.reload.ReloadRefused;
import io.sluice.gateway.platform.route.RouteTable;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The admin router on a real listener (ephemeral port) over a backend of real parts. */
@Timeout(30)
class AdminServerTest {

  private static final String TOKEN = "admin-server-test-token-0123";

  @TempDir Path dir;
  Vertx vertx;
  HttpClient client;
  Context context;
  PluginHost plugins;
  AdminServer server;
  final AtomicInteger reloads = new AtomicInteger();
  Supplier<Future<RouteTable>> reloadOutcome;
  RouteTable table;

  /** A complete response. */
  record Reply(int status, MultiMap headers, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    client = vertx.createHttpClient();
    context = vertx.getOrCreateContext();
    plugins = PluginHost.start(dir.resolve("plugins"), "0.1.0");
    table = RouteTable.compile(new ConfigLoader().parse("""
        upstreams:
          users: { targets: ["http://127.0.0.1:9"] }
        routes:
          - id: users
            path: /users/{id}
            upstream: users
          - id: direct
            path: /direct
            upstream: "http://127.0.0.1:10"
        """, "test.yaml"), "test.yaml");
    reloadOutcome = () -> Future.succeededFuture(table);
    server = AdminServer.start(vertx, "127.0.0.1", 0, AdminToken.of(TOKEN), new Backend()).await();
  }

  @AfterEach
  void tearDown() {
    server.close().await();
    plugins.close();
    vertx.close().await();
  }

  /** Real parts: a compiled route table, an (empty) plugin generation; reloads as the test sets them. */
  final class Backend implements AdminBackend {
    @Override
    public String version() {
      return "1.2.3";
    }

    @Override
    public Instant startedAt() {
      return Instant.now();
    }

    @Override
    public String scriptEngine() {
      return "not started";
    }

    @Override
    public RouteTable routes() {
      return table;
    }

    @Override
    public PluginGeneration plugins() {
      return plugins.current();
    }

    @Override
    public int retiringPluginGenerations() {
      return 0;
    }

    @Override
    public PolicyRegistry policyTypes(PluginGeneration generation) {
      return generation.registry();
    }

    @Override
    public Future<RouteTable> reloadConfiguration(String trigger) {
      reloads.incrementAndGet();
      return reloadOutcome.get();
    }

    @Override
    public Future<PluginGeneration> reloadPlugins(String trigger) {
      reloads.incrementAndGet();
      return Future.failedFuture(new ReloadRefused(ReloadRefused.Kind.PLUGINS, "plugins", "the plugins were refused",
          List.of("broken.jar: not a plugin")));
    }
  }

  private Reply send(HttpMethod method, String uri, boolean withToken, Buffer body) {
    return sendAsync(method, uri, withToken, body).await();
  }

  private Future<Reply> sendAsync(HttpMethod method, String uri, boolean withToken, Buffer body) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(server.port())
        .setURI(uri);
    if (withToken) {
      options.putHeader("Authorization", "Bearer " + TOKEN);
    }
    // Built on the client's context: a chain built on the test thread could attach its body listener after
    // the body has arrived (on the event loop) and wait for it forever.
    Promise<Reply> reply = Promise.promise();
    context.runOnContext(v -> client.request(options)
        .compose(req -> body == null ? req.send() : req.send(body))
        .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.headers(), b.toString())))
        .onComplete(reply));
    return reply.future();
  }

  private Reply get(String uri) {
    return send(HttpMethod.GET, uri, true, null);
  }

  private static void assertProblem(Reply reply, int status, String key) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.headers().get("Content-Type")).isEqualTo("application/problem+json");
    assertThat(reply.json().getString("key")).isEqualTo(key);
    assertThat(reply.json().getInteger("status")).isEqualTo(status);
  }

  @Test
  void refusesEveryRequestWithoutTheTokenBeforeAnyHandlerRuns() throws Exception {
    for (String uri : List.of("/admin/health", "/admin/routes/users", "/admin/nope", "/elsewhere")) {
      Reply reply = send(HttpMethod.GET, uri, false, null);
      assertProblem(reply, 401, "ADMIN_UNAUTHORIZED");
      assertThat(reply.headers().get("WWW-Authenticate")).isEqualTo("Bearer realm=\"sluice-admin\"");
    }
    Reply withBody = send(HttpMethod.POST, "/admin/reload", false, Buffer.buffer(new byte[1000]));
    assertProblem(withBody, 401, "ADMIN_UNAUTHORIZED");
    assertThat(withBody.headers().get("Connection")).as("its body is not read").isEqualTo("close");
    // A large body is not read either: the answer comes, or the connection closes under the client's write.
    Reply large = sendAsync(HttpMethod.POST, "/admin/reload", false, Buffer.buffer(new byte[1_000_000]))
        .otherwise((Reply) null)
        .await(10, java.util.concurrent.TimeUnit.SECONDS);
    if (large != null) {
      assertProblem(large, 401, "ADMIN_UNAUTHORIZED");
    }
    assertThat(reloads.get()).as("no reload without the token").isZero();
  }

  @Test
  void answersUnknownPathsWithNotFound() {
    Reply reply = get("/admin/nope");
    assertProblem(reply, 404, "ADMIN_NOT_FOUND");
    assertThat(reply.json().getString("detail")).isEqualTo("no admin endpoint /admin/nope");
    assertProblem(get("/"), 404, "ADMIN_NOT_FOUND");
  }

  @Test
  void answersAWrongMethodWithMethodNotAllowedAndAllow() {
    Reply delete = send(HttpMethod.DELETE, "/admin/health", true, null);
    assertProblem(delete, 405, "METHOD_NOT_ALLOWED");
    assertThat(delete.headers().get("Allow")).isEqualTo("GET");
    Reply get = get("/admin/reload");
    assertProblem(get, 405, "METHOD_NOT_ALLOWED");
    assertThat(get.headers().get("Allow")).isEqualTo("POST");
    assertThat(send(HttpMethod.PUT, "/admin/routes/users", true, Buffer.buffer("{}")).headers().get("Allow"))
        .isEqualTo("GET");
    assertThat(reloads.get()).isZero();
  }

  @Test
  void limitsRequestBodies() {
    Reply tooLarge = send(HttpMethod.POST, "/admin/reload", true,
        Buffer.buffer(new byte[(int) AdminRouter.MAX_BODY_BYTES + 1]));
    assertProblem(tooLarge, 413, "ADMIN_BODY_TOO_LARGE");
    assertThat(reloads.get()).as("the endpoint did not run").isZero();

    Reply small = send(HttpMethod.POST, "/admin/reload", true, Buffer.buffer(new byte[(int) AdminRouter.MAX_BODY_BYTES]));
    assertThat(small.status()).as(small.body()).isEqualTo(200);
    assertThat(small.json()).isEqualTo(new JsonObject().put("status", "reloaded").put("routes", 2));
    assertThat(reloads.get()).isEqualTo(1);
  }

  @Test
  void describesOneRouteByItsId() {
    Reply route = get("/admin/routes/users");
    assertThat(route.status()).isEqualTo(200);
    assertThat(route.headers().get("Content-Type")).isEqualTo("application/json");
    assertThat(route.json().getString("path")).isEqualTo("/users/{id}");
    assertThat(route.json())
        .as("the same document as in the list")
        .isEqualTo(get("/admin/routes").json().getJsonArray("routes").getJsonObject(0));
    Reply unknown = get("/admin/routes/nope");
    assertProblem(unknown, 404, "ADMIN_NOT_FOUND");
    assertThat(unknown.json().getString("detail")).isEqualTo("no route 'nope'");
  }

  @Test
  void describesOneUpstreamByItsName() {
    Reply users = get("/admin/upstreams/users");
    assertThat(users.status()).isEqualTo(200);
    assertThat(users.json().getString("name")).isEqualTo("users");
    assertThat(users.json().getJsonArray("targets")).hasSize(1);
    String urlName = get("/admin/routes/direct").json().getJsonObject("upstream").getString("name");
    Reply byUrl = get("/admin/upstreams/" + java.net.URLEncoder.encode(urlName, java.nio.charset.StandardCharsets.UTF_8));
    assertThat(byUrl.status()).as(byUrl.body()).isEqualTo(200);
    assertThat(byUrl.json().getString("name")).isEqualTo(urlName);
    assertProblem(get("/admin/upstreams/nope"), 404, "ADMIN_NOT_FOUND");
  }

  @Test
  void rendersARefusedReloadWithEveryProblem() {
    reloadOutcome = () -> Future.failedFuture(new ReloadRefused(ReloadRefused.Kind.CONFIGURATION, "sluice.yaml",
        "the configuration was refused; the previous one keeps serving",
        List.of("routes[a].upstream: unknown upstream 'x'", "routes[b].path: must start with '/'")));
    Reply refused = send(HttpMethod.POST, "/admin/reload", true, null);
    assertProblem(refused, 400, "CONFIG_INVALID");
    assertThat(refused.json().getJsonArray("errors").getList())
        .containsExactly("routes[a].upstream: unknown upstream 'x'", "routes[b].path: must start with '/'");

    Reply plugins = send(HttpMethod.POST, "/admin/plugins/reload", true, null);
    assertProblem(plugins, 400, "PLUGINS_REFUSED");
    assertThat(plugins.json().getJsonArray("errors").getList()).containsExactly("broken.jar: not a plugin");
  }

  @Test
  void answersAnUnexpectedFailureWithoutItsInternals() {
    reloadOutcome = () -> {
      throw new IllegalStateException("secret internal detail");
    };
    Reply reply = send(HttpMethod.POST, "/admin/reload", true, null);
    assertProblem(reply, 500, "ADMIN_ERROR");
    assertThat(reply.body()).doesNotContain("secret internal detail");
  }

  @Test
  void servesHealthAndPlugins() {
    JsonObject health = get("/admin/health").json();
    assertThat(health.getString("status")).isEqualTo("UP");
    assertThat(health.getString("version")).isEqualTo("1.2.3");
    assertThat(health.getInteger("routes")).isEqualTo(2);
    JsonObject plugins = get("/admin/plugins").json();
    assertThat(plugins.getInteger("generation")).isEqualTo(1);
    assertThat(plugins.getJsonArray("plugins")).isEmpty();
  }
}
