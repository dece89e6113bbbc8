// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.api.config.ConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

  private final ConfigLoader loader = new ConfigLoader(Map.of("PORT", "9000", "EMPTY", "")::get);

  private String error(String yaml) {
    return ConfigRefusal.onlyProblem(loader, yaml);
  }

  @Test
  void anEmptyFileGivesSafeDefaults() {
    GatewayConfig c = loader.parse("", "empty.yaml");
    assertThat(c.server().port()).isEqualTo(8080);
    assertThat(c.server().maxHeaderSize().bytes()).isEqualTo(16 * 1024);
    assertThat(c.server().maxBodySize().bytes()).isEqualTo(10 * 1024 * 1024);
    assertThat(c.server().http2MaxConcurrentStreams()).isEqualTo(100);
    assertThat(c.server().trustedProxies()).isEmpty();
    assertThat(c.server().mergeSlashes()).isTrue();
    assertThat(c.server().escapedSlashes()).isEqualTo(EscapedSlashes.REJECT);
    assertThat(c.admin().host()).isEqualTo("127.0.0.1");
    assertThat(c.admin().token()).isNull();
    assertThat(c.echo().enabled()).isFalse();
    assertThat(c.routes()).isEmpty();
  }

  @Test
  void bindsDurationsSizesEnumsAndTargets() {
    GatewayConfig c = loader.parse("""
        server: { port: "${env:PORT}", idleTimeout: 90s, maxBodySize: 5MB, escapedSlashes: keep, host: "${env:HOST:-127.0.0.1}" }
        upstreams:
          u: { targets: ["http://a:1", { url: "https://b", weight: 5 }] }
        routes:
          - { id: r, path: /r, upstream: u, timeouts: { connect: 250ms, response: 2m } }
        """, "t.yaml");
    assertThat(c.server().port()).isEqualTo(9000);
    assertThat(c.server().host()).isEqualTo("127.0.0.1");
    assertThat(c.server().idleTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.server().maxBodySize().bytes()).isEqualTo(5 * 1024 * 1024);
    assertThat(c.server().escapedSlashes()).isEqualTo(EscapedSlashes.KEEP);
    assertThat(c.upstreams().get("u").targets()).extracting(TargetConfig::url, TargetConfig::weight)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("http://a:1", 1), org.assertj.core.groups.Tuple.tuple("https://b", 5));
    assertThat(c.routes().get(0).timeouts().connect()).isEqualTo(Duration.ofMillis(250));
    assertThat(c.routes().get(0).timeouts().idle()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void unsetPluginAndScriptDirectoriesAreTheInstallationsAndWrittenOnesAreKept() {
    String before = System.getProperty("sluice.home");
    System.setProperty("sluice.home", "/opt/sluice");
    try {
      GatewayConfig defaults = loader.parse("routes: []", "t.yaml");
      assertThat(defaults.plugins().dir()).isEqualTo(java.nio.file.Path.of("/opt/sluice", "plugins").toString());
      assertThat(defaults.scripts().dir()).isEqualTo(java.nio.file.Path.of("/opt/sluice", "policies").toString());
      GatewayConfig written = loader.parse("plugins: { dir: my-plugins }\nscripts: { dir: js }", "t.yaml");
      assertThat(written.plugins().dir()).as("relative to the config file, resolved where it is used").isEqualTo("my-plugins");
      assertThat(written.scripts().dir()).isEqualTo("js");
    } finally {
      if (before == null) {
        System.clearProperty("sluice.home");
      } else {
        System.setProperty("sluice.home", before);
      }
    }
  }

  @Test
  void namesThePathOfEveryBadField() {
    assertThat(error("server: { colour: red }")).isEqualTo(
        "server: unknown key 'colour' (known: allowedMethods, consumerHeaders, escapedSlashes, eventLoops, headersTimeout, host, "
            + "http2Cleartext, http2MaxConcurrentStreams, idleTimeout, lingerTimeout, maxBodySize, maxConnections, maxHeaderCount, "
            + "maxHeaderSize, maxUriLength, mergeSlashes, pathParameters, port, rejectDoubleEncoding, rejectInvalidUtf8, "
            + "shutdownGrace, trustedProxies)");
    assertThat(error("routez: []")).startsWith(": unknown key 'routez'".substring(2));
    assertThat(error("server: { port: 70000 }")).isEqualTo("server.port: must be 0..65535");
    assertThat(error("server: { lingerTimeout: -1s }")).isEqualTo("server.lingerTimeout: '-1s' is not a duration (e.g. 250ms, 30s, 5m, 1h)");
    assertThat(error("server: { idleTimeout: 30 }")).isEqualTo("server.idleTimeout: '30' is not a duration (e.g. 250ms, 30s, 5m, 1h)");
    assertThat(error("server: { maxBodySize: 10XB }")).isEqualTo("server.maxBodySize: '10XB' has an unknown unit (use B, KB, MB or GB)");
    assertThat(error("server: { escapedSlashes: maybe }")).startsWith("server.escapedSlashes: 'maybe' is not a valid one of reject, keep, decode");
    assertThat(error("routes: [ { id: orders, path: /o, upstream: u, timeouts: { connect: 0ms } } ]"))
        .isEqualTo("routes[orders].timeouts.connect: must be > 0");
    // What a timer cannot hold: under 1 ms it would be 0 (no timeout at all), above 2^31-1 ms it would wrap
    assertThat(error("server: { idleTimeout: PT0.0005S }")).isEqualTo("server.idleTimeout: must be at least 1ms, was PT0.0005S");
    assertThat(error("server: { headersTimeout: 25d }")).isEqualTo("server.headersTimeout: must be at most 24d, was PT600H");
    assertThat(error("upstreams: { u: { targets: [\"http://a\"], healthCheck: { path: /h, interval: PT0.0005S } } }"))
        .isEqualTo("upstreams.u.healthCheck.interval: must be at least 1ms, was PT0.0005S");
    assertThat(error("routes: [ { path: /o, upstream: u } ]")).isEqualTo("routes[0].id: is required");
    assertThat(error("upstreams: { u: { targets: [\"http://a/path\"] } }"))
        .isEqualTo("upstreams.u.targets[0].url: 'http://a/path' must be scheme://host[:port] only (no path, query or credentials)");
    assertThat(error("admin: { token: short }")).isEqualTo("admin.token: must be at least 16 characters");
    assertThat(error("server: { port: \"${env:NOPE}\" }")).isEqualTo("server.port: environment variable NOPE is not set");
  }

  @Test
  void reportsYamlSyntaxErrorsWithTheLine() {
    assertThat(error("server:\n  port: [1\n")).startsWith("line 3");
  }

  @Test
  void neverPrintsTheAdminToken() {
    GatewayConfig c = loader.parse("admin: { token: super-secret-token-value }", "t.yaml");
    assertThat(c.admin().toString()).doesNotContain("super-secret");
  }

  @Test
  void configExceptionPathsCompose() {
    ConfigException e = new ConfigException("limit", "must be > 0").at("config").at("policies[1]").at("routes[orders]");
    assertThat(e.getMessage()).isEqualTo("routes[orders].policies[1].config.limit: must be > 0");
  }

  @Test
  void upstreamSettingsBindWithDefaultsAndRouteTimeoutsOverrideTheUpstreams() {
    GatewayConfig c = loader.parse("""
        upstreams:
          u:
            targets: ["http://a:1", "http://b:1"]
            balancer: consistent-hash
            healthCheck: { path: /health, expectedStatuses: [200, "300-399"] }
            circuitBreaker: { openFor: 5s }
            retries: { attempts: 2, on: [connect-failure, timeout, 5xx] }
            timeouts: { connect: 1s, response: 3s }
        routes:
          - { id: r, path: /r, upstream: u, timeouts: { response: 9s } }
        """, "t.yaml");
    UpstreamConfig u = c.upstreams().get("u");
    assertThat(u.balancer()).isEqualTo(BalancerKind.CONSISTENT_HASH);
    assertThat(u.hashOn()).isEqualTo("client-ip");
    assertThat(u.healthCheck().expects(200)).isTrue();
    assertThat(u.healthCheck().expects(302)).isTrue();
    assertThat(u.healthCheck().expects(204)).isFalse();
    assertThat(u.healthCheck().interval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(u.outlierDetection().consecutiveFailures()).isEqualTo(5);
    assertThat(u.circuitBreaker().failureRatePercent()).isEqualTo(50);
    assertThat(u.retries().methods()).doesNotContain("POST", "PATCH");
    TimeoutsConfig effective = c.routes().get(0).timeouts().orElse(u.timeouts());
    assertThat(effective.connect()).isEqualTo(Duration.ofSeconds(1));
    assertThat(effective.response()).isEqualTo(Duration.ofSeconds(9));
    assertThat(effective.total()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void badUpstreamSettingsNameTheirPath() {
    assertThat(error("upstreams: { u: { targets: [\"http://a:1\"], balancer: random } }"))
        .contains("upstreams.u.balancer").contains("round-robin, least-in-flight, consistent-hash, least-latency");
    assertThat(error("upstreams: { u: { targets: [\"http://a:1\"], hashOn: path } }"))
        .contains("upstreams.u.hashOn: only applies to balancer: consistent-hash");
    assertThat(error("upstreams: { u: { targets: [\"http://a:1\"], balancer: consistent-hash, hashOn: query } }"))
        .contains("upstreams.u.hashOn");
    assertThat(error("upstreams: { u: { targets: [\"http://a:1\"], retries: { on: [connect-failure, 404] } } }"))
        .contains("upstreams.u.retries.on[1]: '404' is not a retry condition");
    assertThat(error("upstreams: { u: { targets: [\"http://a:1\"], healthCheck: { path: /h, expectedStatuses: [\"200-99\"] } } }"))
        .contains("upstreams.u.healthCheck.expectedStatuses[0]");
    assertThat(error("upstreams: { u: { targets: [\"http://a:1\"], circuitBreaker: { window: 5, minimumRequests: 6 } } }"))
        .contains("upstreams.u.circuitBreaker.minimumRequests: must be 1..window (5)");
    assertThat(error("upstreams: { u: { targets: [\"http://a:1\"], timeouts: { policy: 1s } } }"))
        .contains("upstreams.u.timeouts.policy: is a route setting");
  }
  @Test
  void reportsEveryBindingErrorOfAFileAtOnce() {
    InvalidConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(InvalidConfigException.class,
        () -> loader.parse("""
            server: { prot: 8080, maxBodySize: lots }
            admin: { port: "${env:NOT_SET}" }
            upstreams:
              orders: { targets: ["http://10.0.0.5:8080"], timeouts: { connect: 0s }, colour: blue }
            routes:
              - { id: a, path: /a, upstream: orders, timeouts: { connect: 0s, response: 1s } }
              - { id: b, path: /b, upstream: orders, methods: [GET], stripPrefix: maybe }
            """, "test.yaml"));
    assertThat(e.problems()).extracting(Throwable::getMessage).containsExactlyInAnyOrder(
        "admin.port: environment variable NOT_SET is not set",
        "server: unknown key 'prot' (known: allowedMethods, consumerHeaders, escapedSlashes, eventLoops, headersTimeout, host, "
            + "http2Cleartext, http2MaxConcurrentStreams, idleTimeout, lingerTimeout, maxBodySize, maxConnections, maxHeaderCount, "
            + "maxHeaderSize, maxUriLength, mergeSlashes, pathParameters, port, rejectDoubleEncoding, rejectInvalidUtf8, "
            + "shutdownGrace, trustedProxies)",
        "server.maxBodySize: 'lots' is not a size (e.g. 512, 16KB, 10MB, 1GB)",
        "upstreams.orders: unknown key 'colour' (known: balancer, circuitBreaker, hashOn, healthCheck, "
            + "outlierDetection, retries, targets, timeouts, tls)",
        "upstreams.orders.timeouts.connect: must be > 0",
        "routes[a].timeouts.connect: must be > 0",
        "routes[b].stripPrefix: 'maybe' is not a valid true or false");
  }
}
