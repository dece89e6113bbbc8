// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.platform.Gateway;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Purge through {@code /admin/cache} of a running gateway (admin listener on, with its token), against an origin
 * that counts its requests: what is purged is a miss next time (the origin is asked again), what is not stays a
 * hit (it is not).
 */
class CachePurgeIT {

  static final String TOKEN = "purge-test-token-0123456789";

  @TempDir static Path dir;
  static ScriptedBackend origin;
  static Gateway gateway;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    origin = new ScriptedBackend();
    Path file = dir.resolve("sluice.yaml");
    Files.writeString(file, """
        server: { host: 127.0.0.1, port: 0, eventLoops: 2 }
        admin: { port: 0, token: %s }
        health: { port: 0 }
        accessLog: { enabled: false }
        reload: { watch: false }
        plugins: { dir: "%s", watch: false }
        routes:
          - id: keyed
            path: /k/**
            upstream: %s
            policies: [ { type: cache, config: { keyHeaders: [X-Tenant] } } ]
          - id: subset
            path: /s/**
            upstream: %3$s
            policies: [ { type: cache, config: { keyQuery: [page] } } ]
          - id: main
            path: /**
            upstream: %3$s
            policies: [ { type: cache } ]
        """.formatted(TOKEN, dir.resolve("plugins"), origin.url()));
    gateway = Gateway.start(file);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    origin.close();
  }

  /** An origin path that is cacheable for a minute, tagged with {@code tags} (Surrogate-Key) when given. */
  private static void cacheable(String path, String tags) {
    origin.on(path, req -> {
      var resp = req.response().putHeader("Cache-Control", "max-age=60");
      if (!tags.isEmpty()) {
        resp.putHeader("Surrogate-Key", tags);
      }
      resp.end("body of " + path);
    });
  }

  private static HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> admin(String method, String pathAndQuery, boolean withToken) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + pathAndQuery))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (withToken) {
      b.header("Authorization", "Bearer " + TOKEN);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject purge(String pathAndQuery) throws Exception {
    HttpResponse<String> r = admin("DELETE", pathAndQuery, true);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    return new JsonObject(r.body());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static void warm(String... paths) throws Exception {
    for (String p : paths) {
      get(p);
      assertThat(get(p).headers().firstValue("Cache-Status").orElse("")).as(p).contains("hit");
      assertThat(origin.hits(p)).as(p).isEqualTo(1);
    }
  }

  @Test
  void purgeByUrlDeletesThatKeyOnly() throws Exception {
    cacheable("/u/a", "");
    cacheable("/u/b", "");
    warm("/u/a", "/u/b");
    JsonObject answer = purge("/admin/cache/main?url=" + enc("http://127.0.0.1/u/a"));
    assertThat(answer.getString("purged")).isEqualTo("url");
    assertThat(answer.getBoolean("deleted")).isTrue();
    assertThat(get("/u/a").headers().firstValue("Cache-Status").orElse("")).contains("fwd=uri-miss");
    assertThat(origin.hits("/u/a")).isEqualTo(2);
    assertThat(get("/u/b").headers().firstValue("Cache-Status").orElse("")).contains("hit");
    assertThat(origin.hits("/u/b")).isEqualTo(1);
  }

  @Test
  void purgeByUrlWithAQueryNamesThatQueryOnly() throws Exception {
    cacheable("/q", "");
    for (String uri : new String[] {"/q?page=1", "/q?page=2", "/q?page=1", "/q?page=2"}) {
      get(uri);
    }
    assertThat(origin.hits("/q")).isEqualTo(2);
    purge("/admin/cache/main?url=" + enc("http://127.0.0.1/q?page=1"));
    assertThat(get("/q?page=1").headers().firstValue("Cache-Status").orElse("")).contains("miss");
    assertThat(get("/q?page=2").headers().firstValue("Cache-Status").orElse("")).contains("hit");
    assertThat(origin.hits("/q")).isEqualTo(3);
  }

  @Test
  void purgeByUrlOnARouteKeyedOnAQuerySubsetNamesTheKeyedParametersOnly() throws Exception {
    cacheable("/s/list", "");
    get("/s/list?page=a%20b&x=1");
    assertThat(get("/s/list?x=2&page=a%20b").headers().firstValue("Cache-Status").orElse("")).contains("hit");
    assertThat(origin.hits("/s/list")).isEqualTo(1);
    purge("/admin/cache/subset?url=" + enc("http://127.0.0.1/s/list?other=1&page=a%20b"));
    get("/s/list?page=a%20b");
    assertThat(origin.hits("/s/list")).isEqualTo(2);
  }

  @Test
  void purgeByPrefixMarksEveryEntryUnderIt() throws Exception {
    cacheable("/dir/x", "");
    cacheable("/dir/y", "");
    cacheable("/other", "");
    warm("/dir/x", "/dir/y", "/other");
    JsonObject answer = purge("/admin/cache/main?prefix=/dir/");
    assertThat(answer.getString("purged")).isEqualTo("prefix");
    assertThat(answer.getBoolean("marked")).isTrue();
    get("/dir/x");
    get("/dir/y");
    assertThat(origin.hits("/dir/x")).isEqualTo(2);
    assertThat(origin.hits("/dir/y")).isEqualTo(2);
    assertThat(get("/other").headers().firstValue("Cache-Status").orElse("")).contains("hit");
    assertThat(origin.hits("/other")).isEqualTo(1);
    // what was fetched after the purge is stored and served again
    assertThat(get("/dir/x").headers().firstValue("Cache-Status").orElse("")).contains("hit");
    assertThat(origin.hits("/dir/x")).isEqualTo(2);
  }

  @Test
  void purgeByTagMarksWhatTheUpstreamTaggedAndTheTagHeaderIsStripped() throws Exception {
    cacheable("/t/1", "product-1 list");
    cacheable("/t/2", "product-2,list2");
    warm("/t/1", "/t/2");
    assertThat(get("/t/1").headers().firstValue("Surrogate-Key")).as("stripped on a hit").isEmpty();
    purge("/admin/cache?tag=product-1");
    assertThat(get("/t/1").headers().firstValue("Surrogate-Key")).as("stripped on a miss").isEmpty();
    assertThat(origin.hits("/t/1")).isEqualTo(2);
    assertThat(get("/t/2").headers().firstValue("Cache-Status").orElse("")).contains("hit");
    assertThat(origin.hits("/t/2")).isEqualTo(1);
    purge("/admin/cache/main?tag=list2");
    get("/t/2");
    assertThat(origin.hits("/t/2")).isEqualTo(2);
  }

  @Test
  void purgeByUrlOnARouteKeyedOnHeadersMarksEveryVariant() throws Exception {
    cacheable("/k/x", "");
    get("/k/x", "X-Tenant", "a");
    get("/k/x", "X-Tenant", "b");
    get("/k/x", "X-Tenant", "a");
    assertThat(origin.hits("/k/x")).isEqualTo(2);
    JsonObject answer = purge("/admin/cache/keyed?url=/k/x&host=127.0.0.1");
    assertThat(answer.getBoolean("marked")).isTrue();
    get("/k/x", "X-Tenant", "a");
    get("/k/x", "X-Tenant", "b");
    assertThat(origin.hits("/k/x")).isEqualTo(4);
  }

  @Test
  void purgeNeedsTheAdminToken() throws Exception {
    cacheable("/secret", "");
    warm("/secret");
    HttpResponse<String> r = admin("DELETE", "/admin/cache/main?prefix=/", false);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(r.body()).getString("key")).isEqualTo("ADMIN_UNAUTHORIZED");
    assertThat(get("/secret").headers().firstValue("Cache-Status").orElse("")).contains("hit");
    assertThat(origin.hits("/secret")).isEqualTo(1);
  }

  @Test
  void badPurgesAreProblemsWithStableKeys() throws Exception {
    assertProblem(admin("DELETE", "/admin/cache/nope?prefix=/", true), 404, "CACHE_ROUTE_UNKNOWN");
    assertProblem(admin("DELETE", "/admin/cache", true), 400, "CACHE_PURGE_INVALID");
    assertProblem(admin("DELETE", "/admin/cache?url=/x", true), 400, "CACHE_PURGE_INVALID");
    assertProblem(admin("DELETE", "/admin/cache/main?url=/x", true), 400, "CACHE_PURGE_INVALID"); // needs a host
    assertProblem(admin("DELETE", "/admin/cache/main?tag=a&prefix=/", true), 400, "CACHE_PURGE_INVALID");
    assertProblem(admin("POST", "/admin/cache", true), 405, "CACHE_METHOD_NOT_ALLOWED");
    assertProblem(admin("GET", "/admin/cache/main/extra", true), 404, "CACHE_NOT_FOUND");
    assertProblem(admin("GET", "/admin/nosuchtype", true), 404, "ADMIN_NOT_FOUND");
  }

  @Test
  void getListsTheCachedRoutesAndTheRulesInForce() throws Exception {
    purge("/admin/cache/main?prefix=/listed/");
    HttpResponse<String> r = admin("GET", "/admin/cache", true);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject doc = new JsonObject(r.body());
    assertThat(doc.getJsonArray("routes").getList()).containsExactly("keyed", "main", "subset");
    assertThat(doc.getJsonArray("rules").stream().map(o -> ((JsonObject) o).getString("value")))
        .contains("/listed/");
  }

  private static void assertProblem(HttpResponse<String> r, int status, String key) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(new JsonObject(r.body()).getString("key")).isEqualTo(key);
  }
}
