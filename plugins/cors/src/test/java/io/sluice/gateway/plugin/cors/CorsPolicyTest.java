// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.cors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.api.Policy;
import io.sluice.gateway.testkit.FakeExchange;
import io.sluice.gateway.testkit.PluginArchitecture;
import io.sluice.gateway.testkit.PolicyHarness;
import io.sluice.gateway.testkit.TestChain;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class CorsPolicyTest {

  static final PolicyHarness harness = new PolicyHarness();

  @AfterAll
  static void close() {
    harness.close();
  }

  private static Policy policy(List<String> origins, boolean credentials) {
    return new CorsPolicyFactory().create(
        new CorsConfig(origins, List.of("GET", "PUT"), List.of("Content-Type", "X-Api-Key"), List.of("X-Total"),
            credentials, Duration.ofMinutes(5)),
        harness.context("cors"));
  }

  private static FakeExchange preflight(String origin, String method, String headers) {
    FakeExchange e = FakeExchange.request(HttpMethod.OPTIONS, "/items")
        .header("Origin", origin).header("Access-Control-Request-Method", method);
    if (headers != null) {
      e.header("Access-Control-Request-Headers", headers);
    }
    return e;
  }

  @Test
  void answersAnAllowedPreflightWithoutTheUpstream() {
    FakeExchange e = preflight("https://app.example.com", "PUT", "content-type, x-api-key");
    TestChain chain = TestChain.upstreamOk(e);
    harness.apply(policy(List.of("https://app.example.com"), true), e, chain);
    assertThat(chain.proceeded()).isZero();
    assertThat(e.response().status()).isEqualTo(204);
    assertThat(e.response().headers().get("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
    assertThat(e.response().headers().get("Access-Control-Allow-Methods")).isEqualTo("GET, PUT");
    assertThat(e.response().headers().get("Access-Control-Allow-Headers")).isEqualTo("content-type, x-api-key");
    assertThat(e.response().headers().get("Access-Control-Allow-Credentials")).isEqualTo("true");
    assertThat(e.response().headers().get("Access-Control-Max-Age")).isEqualTo("300");
    assertThat(e.response().headers().getAll("Vary")).contains("Origin");
  }

  @Test
  void refusesPreflightsForOtherOriginsMethodsOrHeaders() {
    Policy p = policy(List.of("https://app.example.com"), false);
    for (FakeExchange e : List.of(
        preflight("https://evil.example", "GET", null),
        preflight("https://app.example.com", "DELETE", null),
        preflight("https://app.example.com", "GET", "X-Other"))) {
      TestChain chain = TestChain.upstreamOk(e);
      harness.apply(p, e, chain);
      assertThat(chain.proceeded()).isZero();
      assertThat(e.rejection().status()).isEqualTo(403);
      assertThat(e.rejection().key()).isEqualTo("CORS_PREFLIGHT_REFUSED");
    }
  }

  @Test
  void addsHeadersToAllowedCrossOriginResponsesOnly() {
    Policy p = policy(List.of("https://*.example.com"), false);
    FakeExchange allowed = FakeExchange.request(HttpMethod.GET, "/items").header("Origin", "https://a.b.example.com:8443");
    harness.apply(p, allowed, TestChain.upstreamOk(allowed));
    assertThat(allowed.response().headers().get("Access-Control-Allow-Origin")).isEqualTo("https://a.b.example.com:8443");
    assertThat(allowed.response().headers().get("Access-Control-Expose-Headers")).isEqualTo("X-Total");

    FakeExchange other = FakeExchange.request(HttpMethod.GET, "/items").header("Origin", "https://example.com.evil.io");
    TestChain chain = TestChain.upstreamOk(other);
    harness.apply(p, other, chain);
    assertThat(chain.proceeded()).isEqualTo(1);
    assertThat(other.response().headers().contains("Access-Control-Allow-Origin")).isFalse();

    FakeExchange sameOrigin = FakeExchange.request(HttpMethod.GET, "/items");
    harness.apply(p, sameOrigin, TestChain.upstreamOk(sameOrigin));
    assertThat(sameOrigin.response().headers().contains("Access-Control-Allow-Origin")).isFalse();
  }

  @Test
  void responsesForOtherOriginsOrNoneVaryOnOriginForSharedCaches() {
    Policy p = policy(List.of("https://app.example.com"), false);
    FakeExchange other = FakeExchange.request(HttpMethod.GET, "/items").header("Origin", "https://evil.example");
    harness.apply(p, other, TestChain.upstreamOk(other));
    assertThat(other.response().headers().contains("Access-Control-Allow-Origin")).isFalse();
    assertThat(other.response().headers().getAll("Vary")).containsExactly("Origin");

    FakeExchange none = FakeExchange.request(HttpMethod.GET, "/items");
    harness.apply(p, none, TestChain.upstreamOk(none));
    assertThat(none.response().headers().getAll("Vary")).containsExactly("Origin");

    FakeExchange allowed = FakeExchange.request(HttpMethod.GET, "/items").header("Origin", "https://app.example.com");
    harness.apply(p, allowed, TestChain.upstreamOk(allowed));
    assertThat(allowed.response().headers().getAll("Vary")).as("once, not twice").containsExactly("Origin");

    FakeExchange refused = preflight("https://evil.example", "GET", null);
    harness.apply(p, refused, TestChain.upstreamOk(refused));
    assertThat(refused.rejection().headers().get("Vary")).isEqualTo("Origin");

    FakeExchange star = FakeExchange.request(HttpMethod.GET, "/items");
    harness.apply(policy(List.of("*"), false), star, TestChain.upstreamOk(star));
    assertThat(star.response().headers().contains("Vary")).as("'*' answers every origin alike").isFalse();
  }

  @Test
  void anyOriginWithoutCredentialsAnswersStar() {
    FakeExchange e = FakeExchange.request(HttpMethod.GET, "/items").header("Origin", "https://whoever.io");
    harness.apply(policy(List.of("*"), false), e, TestChain.upstreamOk(e));
    assertThat(e.response().headers().get("Access-Control-Allow-Origin")).isEqualTo("*");
  }

  @Test
  void refusesUnsafeConfiguration() {
    assertThatThrownBy(() -> new CorsConfig(List.of("*"), null, null, null, true, null))
        .hasMessageStartingWith("allowCredentials: cannot be combined with the \"*\" origin");
    assertThatThrownBy(() -> new CorsConfig(List.of("app.example.com"), null, null, null, null, null))
        .hasMessageStartingWith("allowedOrigins[0]: 'app.example.com' must be");
    assertThatThrownBy(() -> new CorsConfig(List.of(), null, null, null, null, null))
        .hasMessageStartingWith("allowedOrigins: must list at least one origin");
  }

  @Test
  void usesOnlyThePluginApi() {
    PluginArchitecture.assertUsesOnlyThePluginApi("io.sluice.gateway.plugin.cors");
  }

  @Test
  void aWildcardOriginWithAPortMatchesThatPortOnly() {
    Policy p = policy(List.of("https://*.example.com:8443"), false);
    for (String origin : List.of("https://a.example.com:8443", "https://a.b.example.com:8443")) {
      FakeExchange e = FakeExchange.request(HttpMethod.GET, "/items").header("Origin", origin);
      harness.apply(p, e, TestChain.upstreamOk(e));
      assertThat(e.response().headers().get("Access-Control-Allow-Origin")).as(origin).isEqualTo(origin);
    }
    for (String origin : List.of("https://a.example.com", "https://a.example.com:9443", "https://example.com:8443")) {
      FakeExchange e = FakeExchange.request(HttpMethod.GET, "/items").header("Origin", origin);
      harness.apply(p, e, TestChain.upstreamOk(e));
      assertThat(e.response().headers().contains("Access-Control-Allow-Origin")).as(origin).isFalse();
    }
  }
}
