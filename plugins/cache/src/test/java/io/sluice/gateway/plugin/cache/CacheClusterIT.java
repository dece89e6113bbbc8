// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.gateway.testkit.GatewayProcess;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache on a real two-node cluster: two gateways in JVMs of their own ({@link GatewayProcess}), embedded
 * Hazelcast members on 127.0.0.1. One cluster serves every case (each uses its own paths).
 */
class CacheClusterIT {

  static final String TOKEN = "cluster-cache-token-0123456789";

  @TempDir static Path dir;
  static ScriptedBackend origin;
  static final Map<String, GatewayProcess> nodes = new ConcurrentHashMap<>();
  static final Map<String, GatewayProcess.Ports> ports = new ConcurrentHashMap<>();
  static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeAll
  static void startTwoNodes() throws Exception {
    origin = new ScriptedBackend();
    ports.put("a", GatewayProcess.Ports.free());
    ports.put("b", GatewayProcess.Ports.free());
    String members = ports.values().stream().map(p -> "127.0.0.1:" + p.cluster()).collect(Collectors.joining(", "));
    String name = "cache-it-" + ProcessHandle.current().pid();
    for (String node : List.of("a", "b")) {
      GatewayProcess.Ports p = ports.get(node);
      Path nodeDir = Files.createDirectories(dir.resolve(node));
      Files.writeString(nodeDir.resolve("sluice.yaml"), """
          server: { host: 127.0.0.1, port: %d, eventLoops: 1 }
          admin: { host: 127.0.0.1, port: %d, token: %s }
          health: { host: 127.0.0.1, port: %d }
          accessLog: { enabled: false }
          reload: { watch: false }
          plugins: { dir: plugins, watch: false }
          cluster: { backend: hazelcast, name: %s, port: %d, portAutoIncrement: false, members: [%s] }
          routes:
            - { id: main, path: /**, upstream: "%s", policies: [ { type: cache } ] }
          """.formatted(p.proxy(), p.admin(), TOKEN, p.health(), name, p.cluster(), members, origin.url()));
    }
    CompletableFuture.allOf(List.of("a", "b").stream().map(n -> CompletableFuture.runAsync(() -> nodes.put(n,
        GatewayProcess.start(n, dir.resolve(n).resolve("sluice.yaml"), ports.get(n))))).toArray(CompletableFuture[]::new))
        .join();
    await().atMost(Duration.ofSeconds(20)).until(() -> members("a") == 2 && members("b") == 2);
  }

  @AfterAll
  static void stopAll() {
    nodes.values().parallelStream().forEach(GatewayProcess::close);
    if (origin != null) {
      origin.close();
    }
  }

  private static int members(String node) throws Exception {
    HttpResponse<String> r = admin(node, "GET", "/admin/cluster");
    return r.statusCode() != 200 ? 0 : new JsonObject(r.body()).getJsonArray("members").size();
  }

  private static HttpResponse<String> get(String node, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(node).proxy() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String status(String node, String path) throws Exception {
    HttpResponse<String> r = get(node, path);
    assertThat(r.statusCode()).isEqualTo(200);
    return r.headers().firstValue("Cache-Status").orElse("");
  }

  private static HttpResponse<String> admin(String node, String method, String pathAndQuery) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(node).admin() + pathAndQuery))
        .header("Authorization", "Bearer " + TOKEN).method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void cacheable(String path, String tags) {
    origin.on(path, req -> req.response().putHeader("Cache-Control", "max-age=300").putHeader("Surrogate-Key", tags)
        .end("body of " + path));
  }

  @Test
  void aResponseCachedOnOneNodeIsAHitOnTheOther() throws Exception {
    cacheable("/shared", "s");
    assertThat(status("a", "/shared")).contains("fwd=uri-miss; stored");
    // once A answers from the shared store, the entry is there for every node (the put has landed)
    await().atMost(Duration.ofSeconds(5)).until(() -> status("a", "/shared").contains("hit"));
    assertThat(status("b", "/shared")).contains("hit");
    assertThat(get("b", "/shared").body()).isEqualTo("body of /shared");
    assertThat(origin.hits("/shared")).isEqualTo(1);
  }

  @Test
  void aPurgeByUrlOnOneNodeIsAMissOnTheOther() throws Exception {
    cacheable("/by-url", "u");
    status("a", "/by-url");
    await().atMost(Duration.ofSeconds(5)).until(() -> status("a", "/by-url").contains("hit"));
    HttpResponse<String> purged = admin("b", "DELETE",
        "/admin/cache/main?url=" + URLEncoder.encode("http://127.0.0.1/by-url", StandardCharsets.UTF_8));
    assertThat(purged.statusCode()).as(purged.body()).isEqualTo(200);
    // deleted in the shared store; A's near cache is invalidated by an event (milliseconds)
    await().atMost(Duration.ofSeconds(5)).until(() -> {
      status("a", "/by-url");
      return origin.hits("/by-url") == 2;
    });
  }

  @Test
  void aPurgeByTagOrPrefixOnOneNodeReachesTheOther() throws Exception {
    cacheable("/tagged", "t-1");
    cacheable("/prefixed/x", "p");
    cacheable("/kept", "k");
    for (String p : List.of("/tagged", "/prefixed/x", "/kept")) {
      status("a", p);
      await().atMost(Duration.ofSeconds(5)).until(() -> status("a", p).contains("hit"));
    }
    assertThat(admin("b", "DELETE", "/admin/cache?tag=t-1").statusCode()).isEqualTo(200);
    assertThat(admin("b", "DELETE", "/admin/cache/main?prefix=/prefixed/").statusCode()).isEqualTo(200);
    // the rules reach node A on its next poll of the cluster (about a second)
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      status("a", "/tagged");
      return origin.hits("/tagged") == 2;
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      status("a", "/prefixed/x");
      return origin.hits("/prefixed/x") == 2;
    });
    assertThat(status("a", "/kept")).contains("hit");
    assertThat(origin.hits("/kept")).isEqualTo(1);
  }
}
