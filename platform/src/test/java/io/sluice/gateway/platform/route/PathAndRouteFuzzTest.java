// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.platform.config.ConfigLoader;
import io.sluice.gateway.platform.config.EscapedSlashes;
import io.sluice.gateway.platform.config.GatewayConfig;
import io.sluice.gateway.platform.config.InvalidConfigException;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Random;
import io.sluice.gateway.platform.fuzz.Fuzz;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing of the path normaliser, the route matcher and the config loader with a bounded budget: only the
 * documented refusals may come out, and a normalised path is canonical.
 */
class PathAndRouteFuzzTest {

  private static final List<String> PIECES = List.of("/", "/", ".", "..", "a", "admin", "%", "%2e", "%2E", "%2f", "%5c",
      "%25", "%252e", "%c0%ae", "%e2%82%ac", "%ff", ";", "..;", "~", "\\", "%00", "%41", "{", "*", "?", "\u00e9", "//");

  private static final RouteTable TABLE = RouteTable.compile(new ConfigLoader(name -> null).parse("""
      upstreams:
        app: { targets: ["http://127.0.0.1:1"] }
      routes:
        - { id: all, path: "/**", upstream: app, methods: [POST] }
        - { id: users, path: "/users/{id}", upstream: app }
        - { id: files, path: "/files/{a}/**", upstream: app, methods: [GET] }
        - { id: admin, path: "/admin/**", upstream: app }
      """, "fuzz.yaml"), "fuzz.yaml");

  /** A slash and up to 12 pieces of paths that confuse normalisers. */
  static String path(Random r) {
    StringBuilder sb = new StringBuilder("/");
    int n = r.nextInt(13);
    for (int k = 0; k < n; k++) {
      sb.append(Fuzz.oneOf(r, PIECES));
    }
    return sb.toString();
  }

  @Test
  void normalisedPathsAreCanonicalAndRoutable() {
    Fuzz.check("normalised paths are canonical and routable", 3000, PathAndRouteFuzzTest::path,
        PathAndRouteFuzzTest::canonicalAndRoutable);
  }

  private static void canonicalAndRoutable(String raw) {
    for (EscapedSlashes slashes : EscapedSlashes.values()) {
      String normal;
      try {
        normal = new PathNormalizer(true, slashes).normalize(raw);
      } catch (InvalidPathException refused) {
        assertThat(refused.key()).startsWith("PATH_");
        continue;
      }
      assertThat(normal).startsWith("/").doesNotContain("/./").doesNotContain("/../").doesNotContain("\\")
          .doesNotContain("//").doesNotEndWith("/..").doesNotEndWith("/.");
      assertThat(normal).doesNotContainPattern("(^|/)\\.\\.?;");
      assertThat(new PathNormalizer(true, slashes).normalize(normal)).as("idempotent").isEqualTo(normal);
      RouteLookup lookup = TABLE.lookup("h", HttpMethod.GET, normal, MultiMap.caseInsensitiveMultiMap(), null);
      assertThat(lookup).isNotNull();
      if (normal.startsWith("/admin/")) {
        assertThat(lookup).isInstanceOfSatisfying(RouteLookup.Found.class, f -> assertThat(f.route().id()).isEqualTo("admin"));
      }
    }
  }

  private static final String VALID = """
        server: { port: 8080, maxHeaderCount: 50, headersTimeout: 5s, allowedMethods: [GET, POST] }
        upstreams:
          app: { targets: ["http://127.0.0.1:1", { url: "http://127.0.0.1:2", weight: 2 }] }
        routes:
          - id: r
            path: /api/{id}/**
            methods: [GET]
            upstream: app
            rewrite: /v2/{id}
            timeouts: { connect: 1s, response: 2s }
        """;

  private static final List<String> NOISE = List.of(":", " ", "\n", "-", "[", "]", "{", "}", "0", "-1", "x", "1s", "\"", "'", "#", "&a",
        "*a", "!!str", "${env:NOPE}", "path: /", "upstream: none", "\t", "~", "null");

  /** The valid file with up to five noise tokens inserted at random places. */
  static String config(Random r) {
    StringBuilder sb = new StringBuilder(VALID);
    int n = r.nextInt(6);
    for (int k = 0; k < n; k++) {
      sb.insert(r.nextInt(sb.length() + 1), Fuzz.oneOf(r, NOISE));
    }
    return sb.toString();
  }

  @Test
  void theConfigLoaderRefusesOnlyWithPathsAndReasons() {
    Fuzz.check("the config loader refuses only with paths", 1500, PathAndRouteFuzzTest::config,
        PathAndRouteFuzzTest::refusedOnlyWithPaths);
  }

  private static void refusedOnlyWithPaths(String yaml) {
    try {
      GatewayConfig config = new ConfigLoader(name -> null).parse(yaml, "fuzz.yaml");
      RouteTable.compile(config, "fuzz.yaml");
    } catch (InvalidConfigException refused) {
      assertThat(refused.problems()).isNotEmpty();
      assertThat(refused.getMessage()).contains("fuzz.yaml");
    }
  }
}
