// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.Rejection;
import io.sluice.gateway.api.auth.TokenLocation;
import io.sluice.gateway.api.config.ConfigException;
import io.sluice.gateway.testkit.FakeExchange;
import io.sluice.gateway.testkit.MutableClock;
import io.sluice.gateway.testkit.PluginArchitecture;
import io.sluice.gateway.testkit.PolicyHarness;
import io.vertx.core.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JwtPolicyTest {

  static final PolicyHarness harness = new PolicyHarness();
  static final TestKey RS256 = TestKey.rsa("rsa-1", JWSAlgorithm.RS256);
  static final TestKey ES256 = TestKey.ec("ec-1", JWSAlgorithm.ES256);
  static final String SECRET = "a-shared-secret-of-at-least-64-bytes-for-hs512-0123456789abcdef!";
  static final TestKey HS256 = TestKey.hmac("hs-1", JWSAlgorithm.HS256, SECRET);
  static final String ISS = "https://sso.test";

  final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T12:00:00Z"));

  @AfterAll
  static void close() {
    harness.close();
  }

  Policy policy(JwtConfig config) {
    return JwtPolicyFactory.create(config, harness.context("jwt"), clock);
  }

  JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder().subject("alice").issuer("https://sso.test").audience("orders")
        .issueTime(Date.from(clock.instant())).expirationTime(Date.from(clock.instant().plusSeconds(600)));
  }

  static FakeExchange bearer(String token) {
    return FakeExchange.request(HttpMethod.GET, "/orders").header("Authorization", "Bearer " + token);
  }

  /** Applies the policy; returns the rejection, or null when the request went on to the upstream. */
  static Rejection run(Policy policy, FakeExchange exchange) {
    return harness.decide(policy, exchange);
  }

  static void assertRefused(Rejection r, String key) {
    assertThat(r).as("refused").isNotNull();
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.key()).isEqualTo(key);
    assertThat(r.headers().get("WWW-Authenticate")).startsWith("Bearer realm=\"sluice\", error=\"invalid_token\"");
  }

  @Test
  void acceptsEveryAlgorithmFamily() {
    List<TestKey> keys = List.of(
        TestKey.rsa("rs384", JWSAlgorithm.RS384), TestKey.rsa("rs512", JWSAlgorithm.RS512), RS256,
        TestKey.rsa("ps256", JWSAlgorithm.PS256), TestKey.rsa("ps384", JWSAlgorithm.PS384),
        TestKey.rsa("ps512", JWSAlgorithm.PS512), ES256, TestKey.ec("es384", JWSAlgorithm.ES384),
        TestKey.ec("es512", JWSAlgorithm.ES512), TestKey.ed25519("ed"));
    ConfigBuilder config = new ConfigBuilder().key(new KeyConfig("hs", null, null, null, SECRET, ISS));
    keys.forEach(k -> config.key(new KeyConfig(k.kid(), null, null, k.jwkMap(), null, ISS)));
    Policy p = policy(config.build());
    for (TestKey k : keys) {
      assertThat(run(p, bearer(k.sign(claims().build())))).as(k.alg().getName()).isNull();
    }
    for (JWSAlgorithm alg : List.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512)) {
      assertThat(run(p, bearer(TestKey.hmac("hs", alg, SECRET).sign(claims().build())))).as(alg.getName()).isNull();
    }
  }

  @Test
  void acceptsPemKeysOfEachKind() {
    TestKey ed = TestKey.ed25519("ed-pem");
    Policy p = policy(new ConfigBuilder().key(KeyConfig.pem(RS256.pem()).withIssuer(ISS))
        .key(KeyConfig.pem(ES256.pem()).withIssuer(ISS)).key(KeyConfig.pem(ed.pem()).withIssuer(ISS)).build());
    assertThat(run(p, bearer(RS256.sign(claims().build())))).isNull();
    assertThat(run(p, bearer(ES256.sign(claims().build())))).isNull();
    assertThat(run(p, bearer(ed.sign(claims().build())))).isNull();
  }

  @Test
  void setsTheConsumerFromClaims() {
    Policy p = policy(new ConfigBuilder().key(KeyConfig.pem(RS256.pem())).groupsClaim("groups").build());
    FakeExchange e = bearer(RS256.sign(claims().claim("groups", List.of("gold", "staff")).claim("scope", "orders:read orders:write").build()));
    assertThat(run(p, e)).isNull();
    assertThat(e.consumer()).isEqualTo(new Consumer("alice", Set.of("gold", "staff"), Set.of("orders:read", "orders:write"), Map.of()));

    FakeExchange scp = bearer(RS256.sign(claims().claim("scp", List.of("a", "b")).build()));
    assertThat(run(p, scp)).isNull();
    assertThat(scp.consumer().scopes()).containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void dropsGroupsAndScopesThatWouldReadAsSeveralInTheConsumerHeaders() {
    Policy p = policy(new ConfigBuilder().key(KeyConfig.pem(RS256.pem())).groupsClaim("groups").build());
    FakeExchange e = bearer(RS256.sign(claims().claim("groups", List.of("user,admin", "gold", "tab\tbed"))
        .claim("scp", List.of("orders:read", "orders:write admin", "q\"uote")).build()));
    assertThat(run(p, e)).isNull();
    assertThat(e.consumer().groups()).containsExactly("gold");
    assertThat(e.consumer().scopes()).containsExactly("orders:read");
  }

  @Test
  void aCachedTokenIsFoundByItsHeaderLineAndAnotherSpellingVerifiesAgain() {
    Policy p = policy(new ConfigBuilder().key(KeyConfig.pem(RS256.pem())).cacheTtl(Duration.ofMinutes(5)).build());
    String token = RS256.sign(claims().build());
    assertThat(run(p, bearer(token))).isNull();
    FakeExchange lower = FakeExchange.request(HttpMethod.GET, "/x").header("Authorization", "bearer  " + token);
    assertThat(run(p, lower)).isNull();
    assertThat(lower.consumer().id()).isEqualTo("alice");
    FakeExchange tampered = FakeExchange.request(HttpMethod.GET, "/x").header("Authorization", "Bearer " + token + "x");
    assertRefused(run(p, tampered), "TOKEN_INVALID");
  }

  @Test
  void namesTheConsumerByAConfiguredClaim() {
    Policy p = policy(new ConfigBuilder().key(KeyConfig.pem(RS256.pem())).consumerClaim("client_id").build());
    FakeExchange e = bearer(RS256.sign(claims().claim("client_id", "billing").build()));
    assertThat(run(p, e)).isNull();
    assertThat(e.consumer().id()).isEqualTo("billing");
    assertRefused(run(p, bearer(RS256.sign(claims().build()))), "TOKEN_CLAIMS_INVALID");
  }

  @Test
  void sendsMappedClaimsUpstreamAndStripsTheClientsOwn() {
    Policy p = policy(new ConfigBuilder().key(KeyConfig.pem(RS256.pem()))
        .claimHeaders(Map.of("email", "X-User-Email", "roles", "X-User-Roles", "evil", "X-Evil")).build());
    FakeExchange e = bearer(RS256.sign(claims().claim("email", "alice@example.com").claim("roles", List.of("a", "b"))
        .claim("evil", "x\r\nInjected: 1").build()))
        .header("X-User-Email", "spoofed@example.com").header("X-Evil", "spoofed");
    assertThat(run(p, e)).isNull();
    assertThat(e.request().headers().getAll("X-User-Email")).containsExactly("alice@example.com");
    assertThat(e.request().headers().get("X-User-Roles")).isEqualTo("a,b");
    assertThat(e.request().headers().contains("X-Evil")).as("a claim with CR/LF is not sent; the spoofed header is gone").isFalse();
  }

  @Test
  void findsTheTokenInAConfiguredHeaderQueryOrCookie() {
    String token = RS256.sign(claims().build());
    Policy header = policy(new ConfigBuilder().key(KeyConfig.pem(RS256.pem())).token(new TokenLocation("X-Token", null, null)).build());
    assertThat(run(header, FakeExchange.request(HttpMethod.GET, "/x").header("X-Token", token))).isNull();
    Policy query = policy(new ConfigBuilder().key(KeyConfig.pem(RS256.pem())).token(new TokenLocation(null, "access_token", null)).build());
    assertThat(run(query, FakeExchange.request(HttpMethod.GET, "/x?a=1&access_token=" + token))).isNull();
    Policy cookie = policy(new ConfigBuilder().key(KeyConfig.pem(RS256.pem())).token(new TokenLocation(null, null, "session")).build());
    assertThat(run(cookie, FakeExchange.request(HttpMethod.GET, "/x").header("Cookie", "theme=dark; session=" + token))).isNull();
    Rejection missing = run(cookie, bearer(token));
    assertThat(missing.key()).isEqualTo("TOKEN_MISSING");
  }

  @Test
  void refusesARequestCarryingMoreThanOneToken() {
    // Review #5: only one candidate could be verified, but every one would reach the upstream.
    String good = RS256.sign(claims().build());
    String forged = new PlainJWT(claims().subject("admin").build()).serialize();
    Policy bearer = policy(new ConfigBuilder().key(KeyConfig.pem(RS256.pem())).build());
    Rejection two = run(bearer, bearer(good).header("Authorization", "Bearer " + forged));
    assertRefused(two, "TOKEN_INVALID");
    assertThat(two.message()).isEqualTo("the request carries more than one token");
    assertRefused(run(bearer, bearer(good).header("Authorization", "Basic YTpi")), "TOKEN_INVALID");
    Policy cookie = policy(new ConfigBuilder().key(KeyConfig.pem(RS256.pem())).token(new TokenLocation(null, null, "at")).build());
    assertRefused(run(cookie, FakeExchange.request(HttpMethod.GET, "/x").header("Cookie", "at=" + good + "; at=" + forged)), "TOKEN_INVALID");
    assertRefused(run(cookie, FakeExchange.request(HttpMethod.GET, "/x").header("Cookie", "at=" + good).header("Cookie", "at=" + forged)),
        "TOKEN_INVALID");
    assertThat(run(cookie, FakeExchange.request(HttpMethod.GET, "/x").header("Cookie", "at=" + good + "; other=1"))).isNull();
    Policy query = policy(new ConfigBuilder().key(KeyConfig.pem(RS256.pem())).token(new TokenLocation(null, "access_token", null)).build());
    assertRefused(run(query, FakeExchange.request(HttpMethod.GET, "/x?access_token=" + good + "&access_token=" + forged)), "TOKEN_INVALID");
    Policy header = policy(new ConfigBuilder().key(KeyConfig.pem(RS256.pem())).token(new TokenLocation("X-Token", null, null)).build());
    assertRefused(run(header, FakeExchange.request(HttpMethod.GET, "/x").header("X-Token", good).header("X-Token", good)), "TOKEN_INVALID");
    assertThat(run(bearer, bearer(good))).isNull();
  }

  @Test
  void forwardsTheTokenUnlessToldNotTo() {
    String token = RS256.sign(claims().build());
    FakeExchange forwarded = bearer(token);
    assertThat(run(policy(new ConfigBuilder().key(KeyConfig.pem(RS256.pem())).build()), forwarded)).isNull();
    assertThat(forwarded.request().headers().get("Authorization")).isEqualTo("Bearer " + token);

    FakeExchange header = bearer(token);
    Policy hidden = policy(new ConfigBuilder().key(KeyConfig.pem(RS256.pem())).token(new TokenLocation(null, null, null, false)).build());
    assertThat(run(hidden, header)).isNull();
    assertThat(header.request().headers().contains("Authorization")).isFalse();

    FakeExchange cookie = FakeExchange.request(HttpMethod.GET, "/x").header("Cookie", "theme=dark; session=" + token + "; lang=en");
    Policy hiddenCookie = policy(new ConfigBuilder().key(KeyConfig.pem(RS256.pem())).token(new TokenLocation(null, null, "session", false)).build());
    assertThat(run(hiddenCookie, cookie)).isNull();
    assertThat(cookie.request().headers().getAll("Cookie")).containsExactly("theme=dark; lang=en");
    assertThatThrownBy(() -> new TokenLocation(null, "access_token", null, false)).hasMessageStartingWith("forward: cannot be false");
  }

  @Test
  void refusesARequestWithoutTokenWithABareChallenge() {
    Policy p = policy(new ConfigBuilder().key(KeyConfig.pem(RS256.pem())).build());
    Rejection r = run(p, FakeExchange.request(HttpMethod.GET, "/x"));
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.key()).isEqualTo("TOKEN_MISSING");
    assertThat(r.headers().get("WWW-Authenticate")).isEqualTo("Bearer realm=\"sluice\"");
    assertThat(run(p, FakeExchange.request(HttpMethod.GET, "/x").header("Authorization", "Basic YTpi")).key())
        .isEqualTo("TOKEN_MISSING");
  }

  @Test
  void refusesAlgNone() {
    Policy p = policy(new ConfigBuilder().key(KeyConfig.pem(RS256.pem())).build());
    String unsecured = new PlainJWT(claims().build()).serialize();
    Rejection r = run(p, bearer(unsecured));
    assertRefused(r, "TOKEN_INVALID");
    assertThat(r.message()).contains("alg none");
    // The same with a signature part bolted on, and with "none" spelled in a JWS-looking header.
    assertRefused(run(p, bearer(unsecured + "c2ln")), "TOKEN_INVALID");
    String header = Base64URL.encode("{\"alg\":\"NONE\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)).toString();
    assertRefused(run(p, bearer(header + "." + claims().build().toPayload().toBase64URL() + ".")), "TOKEN_INVALID");
  }

  @Test
  void refusesHsRsKeyConfusion() throws Exception {
    // The classic attack: HS256 "signed" with the RSA public key as the HMAC secret. Even with HS256 accepted
    // on the route (a secret is configured too), the RSA key only ever verifies RS/PS tokens.
    Policy p = policy(new ConfigBuilder().key(KeyConfig.pem(RS256.pem()).withIssuer(ISS))
        .key(KeyConfig.secret(SECRET).withIssuer(ISS)).build());
    for (byte[] secret : List.of(RS256.pem().getBytes(StandardCharsets.US_ASCII), RS256.publicKey().getEncoded())) {
      SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(), claims().build());
      forged.sign(new MACSigner(secret));
      assertRefused(run(p, bearer(forged.serialize())), "TOKEN_INVALID");
      SignedJWT noKid = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims().build());
      noKid.sign(new MACSigner(secret));
      assertRefused(run(p, bearer(noKid.serialize())), "TOKEN_INVALID");
    }
    assertThat(run(p, bearer(RS256.sign(claims().build())))).isNull();
  }

  @Test
  void refusesAnAlgorithmTheRouteDoesNotAccept() {
    Policy p = policy(new ConfigBuilder().key(KeyConfig.secret(SECRET)).algorithms("HS512").build());
    assertRefused(run(p, bearer(HS256.sign(claims().build()))), "TOKEN_INVALID");
  }

  @Test
  void refusesATokenForAnotherAudience() {
    Policy p = policy(new ConfigBuilder().key(KeyConfig.pem(RS256.pem())).audiences("orders", "billing").build());
    assertThat(run(p, bearer(RS256.sign(claims().audience(List.of("x", "billing")).build())))).isNull();
    Rejection r = run(p, bearer(RS256.sign(claims().audience("payments").build())));
    assertRefused(r, "TOKEN_CLAIMS_INVALID");
    assertThat(r.message()).isEqualTo("the token is meant for another audience");
    assertRefused(run(p, bearer(RS256.sign(claims().audience((String) null).build()))), "TOKEN_CLAIMS_INVALID");
  }

  @Test
  void refusesAnExpiredTokenBeyondTheClockSkew() {
    Policy p = policy(new ConfigBuilder().key(KeyConfig.pem(RS256.pem())).clockSkew(Duration.ofSeconds(30)).cacheTtl(Duration.ZERO).build());
    String token = RS256.sign(claims().expirationTime(Date.from(clock.instant().minusSeconds(20))).build());
    assertThat(run(p, bearer(token))).as("expired 20 s ago, within the 30 s skew").isNull();
    clock.advance(Duration.ofSeconds(11));
    assertRefused(run(p, bearer(token)), "TOKEN_EXPIRED");
  }

  @Test
  void refusesANotYetValidToken() {
    Policy p = policy(new ConfigBuilder().key(KeyConfig.pem(RS256.pem())).clockSkew(Duration.ofSeconds(30)).build());
    String later = RS256.sign(claims().notBeforeTime(Date.from(clock.instant().plusSeconds(60))).build());
    assertRefused(run(p, bearer(later)), "TOKEN_NOT_YET_VALID");
    String future = RS256.sign(claims().issueTime(Date.from(clock.instant().plusSeconds(120))).build());
    assertRefused(run(p, bearer(future)), "TOKEN_NOT_YET_VALID");
    clock.advance(Duration.ofSeconds(31));
    assertThat(run(p, bearer(later))).as("valid from nbf minus the skew").isNull();
  }

  @Test
  void refusesATamperedPayload() {
    Policy p = policy(new ConfigBuilder().key(KeyConfig.pem(RS256.pem())).build());
    String[] parts = RS256.sign(claims().build()).split("\\.");
    String admin = claims().subject("admin").build().toPayload().toBase64URL().toString();
    assertRefused(run(p, bearer(parts[0] + "." + admin + "." + parts[2])), "TOKEN_INVALID");
  }

  @Test
  void refusesAWrongIssuer() {
    Policy p = policy(new ConfigBuilder().key(KeyConfig.pem(RS256.pem())).issuers("https://sso.test").build());
    assertThat(run(p, bearer(RS256.sign(claims().build())))).isNull();
    Rejection r = run(p, bearer(RS256.sign(claims().issuer("https://evil.test").build())));
    assertRefused(r, "TOKEN_CLAIMS_INVALID");
    assertThat(r.message()).isEqualTo("the token's issuer is not accepted");
  }

  @Test
  void refusesAMissingRequiredClaim() {
    Policy p = policy(new ConfigBuilder().key(KeyConfig.pem(RS256.pem())).requiredClaims("exp", "tenant").build());
    assertThat(run(p, bearer(RS256.sign(claims().claim("tenant", "acme").build())))).isNull();
    Rejection r = run(p, bearer(RS256.sign(claims().build())));
    assertRefused(r, "TOKEN_CLAIMS_INVALID");
    assertThat(r.message()).contains("'tenant'");
    Policy defaults = policy(new ConfigBuilder().key(KeyConfig.pem(RS256.pem())).build());
    assertRefused(run(defaults, bearer(RS256.sign(claims().expirationTime(null).build()))), "TOKEN_CLAIMS_INVALID");
  }

  @Test
  void refusesATokenSignedByAnotherKey() {
    Policy p = policy(new ConfigBuilder().key(KeyConfig.pem(RS256.pem())).build());
    TestKey other = TestKey.rsa("rsa-1", JWSAlgorithm.RS256);
    assertRefused(run(p, bearer(other.sign(claims().build()))), "TOKEN_INVALID");
    assertRefused(run(p, bearer("not.a.jwt")), "TOKEN_INVALID");
  }

  @Test
  void neverEchoesTheTokenInARefusal() {
    Policy p = policy(new ConfigBuilder().key(KeyConfig.pem(RS256.pem())).issuers("https://sso.test").build());
    String token = RS256.sign(claims().issuer("https://evil.test").subject("secret-subject").build());
    Rejection r = run(p, bearer(token));
    String all = r.message() + r.headers().entries();
    assertThat(all).doesNotContain(token).doesNotContain(token.split("\\.")[1]).doesNotContain("secret-subject")
        .doesNotContain("evil.test");
  }

  @Test
  void cachesAVerifiedTokenButNeverBeyondItsExpiry() {
    Policy p = policy(new ConfigBuilder().key(KeyConfig.pem(RS256.pem())).clockSkew(Duration.ZERO).cacheTtl(Duration.ofMinutes(5)).build());
    String token = RS256.sign(claims().expirationTime(Date.from(clock.instant().plusSeconds(60))).build());
    assertThat(run(p, bearer(token))).isNull();
    clock.advance(Duration.ofSeconds(59));
    FakeExchange cached = bearer(token);
    assertThat(run(p, cached)).isNull();
    assertThat(cached.consumer().id()).isEqualTo("alice");
    clock.advance(Duration.ofSeconds(2));
    assertRefused(run(p, bearer(token)), "TOKEN_EXPIRED");
  }

  @Test
  void verifiedTokensAreBoundedAndExpire() {
    VerifiedTokens cache = new VerifiedTokens(3, 1000, clock);
    Verified v = new Verified(Consumer.of("a"), List.of(), null, false, Long.MAX_VALUE);
    for (int i = 0; i < 10; i++) {
      cache.put("t" + i, v);
      assertThat(cache.size()).isLessThanOrEqualTo(3);
    }
    cache.put("short", new Verified(Consumer.of("s"), List.of(), null, false, clock.millis() + 100));
    assertThat(cache.get("short")).isNotNull();
    clock.advance(Duration.ofMillis(100));
    assertThat(cache.get("short")).as("until the token's own expiry").isNull();
    cache.put("ttl", v);
    clock.advance(Duration.ofMillis(999));
    assertThat(cache.get("ttl")).isNotNull();
    clock.advance(Duration.ofMillis(1));
    assertThat(cache.get("ttl")).as("until the TTL").isNull();
  }

  @Test
  void matchesConfiguredConsumersByIssuerAndSubjectOrKey() {
    Consumer billing = new Consumer("billing", Set.of("internal"), Set.of(), Map.of("plan", "gold"));
    Consumer partner = Consumer.of("partner-a");
    TestKey partnerKey = TestKey.rsa("partner-a-2026", JWSAlgorithm.RS256);
    TestConsumers consumers = new TestConsumers()
        .add(billing, new JwtCredential(ISS, "svc-billing", null))
        .add(partner, new JwtCredential("partner-a", null, "partner-a-2026"));
    Policy p = JwtPolicyFactory.create(new ConfigBuilder().key(KeyConfig.pem(RS256.pem()).withIssuer(ISS))
        .key(new KeyConfig("partner-a-2026", null, partnerKey.pem(), null, null, "partner-a"))
        .consumerFrom(ConsumerSource.CREDENTIALS).build(), Contexts.withConsumers(harness.context("jwt"), consumers), clock);
    FakeExchange bySubject = bearer(RS256.sign(claims().subject("svc-billing").claim("scope", "x").build()));
    assertThat(run(p, bySubject)).isNull();
    assertThat(bySubject.consumer()).isEqualTo(billing.withScopes(Set.of("x")));
    FakeExchange byKey = bearer(partnerKey.sign(claims().issuer("partner-a").subject("whoever").build()));
    assertThat(run(p, byKey)).isNull();
    assertThat(byKey.consumer().id()).isEqualTo("partner-a");
    Rejection r = run(p, bearer(RS256.sign(claims().subject("someone-else").build())));
    assertRefused(r, "TOKEN_CONSUMER_UNKNOWN");

    // A key without an id fits any kid, so the kid a token names proves nothing: no kid credential matches.
    Policy unnamedKey = JwtPolicyFactory.create(new ConfigBuilder().key(KeyConfig.pem(partnerKey.pem()))
        .consumerFrom(ConsumerSource.CREDENTIALS).build(), Contexts.withConsumers(harness.context("jwt"), consumers), clock);
    assertRefused(run(unnamedKey, bearer(partnerKey.sign(claims().issuer("partner-a").subject("whoever").build()))),
        "TOKEN_CONSUMER_UNKNOWN");
  }

  @Test
  void aKeyBoundToOneIssuerCannotImpersonateAnotherIssuersConsumer() {
    // Review #1, the docs' own example: partner-a signs a token claiming the IdP's issuer and billing's subject.
    Consumer billing = new Consumer("billing", Set.of("internal"), Set.of(), Map.of());
    TestKey partnerKey = TestKey.rsa("partner-a-2026", JWSAlgorithm.RS256);
    TestConsumers consumers = new TestConsumers()
        .add(billing, new JwtCredential(ISS, "svc-billing", null))
        .add(Consumer.of("partner-a"), new JwtCredential("partner-a", null, "partner-a-2026"));
    JwtConfig config = new ConfigBuilder().key(KeyConfig.pem(RS256.pem()).withIssuer(ISS))
        .key(new KeyConfig("partner-a-2026", null, partnerKey.pem(), null, null, "partner-a"))
        .issuers(ISS, "partner-a").build();
    String forged = partnerKey.sign(claims().subject("svc-billing").build());
    Rejection credentials = run(JwtPolicyFactory.create(new ConfigBuilder().key(config.keys().get(0)).key(config.keys().get(1))
        .issuers(ISS, "partner-a").consumerFrom(ConsumerSource.CREDENTIALS).build(),
        Contexts.withConsumers(harness.context("jwt"), consumers), clock), bearer(forged));
    assertRefused(credentials, "TOKEN_CLAIMS_INVALID");
    assertThat(credentials.message()).isEqualTo("the token's issuer is not the one its key signs for");
    assertRefused(run(policy(config), bearer(forged)), "TOKEN_CLAIMS_INVALID");
    assertRefused(run(policy(config), bearer(partnerKey.sign(claims().issuer(null).build()))), "TOKEN_CLAIMS_INVALID");
    assertThat(run(policy(config), bearer(partnerKey.sign(claims().issuer("partner-a").build())))).isNull();

    // With one unbound key a kid credential's key still only names its owner, never a subject it picks.
    Policy single = JwtPolicyFactory.create(new ConfigBuilder().key(new KeyConfig("partner-a-2026", null, partnerKey.pem(), null, null))
        .consumerFrom(ConsumerSource.CREDENTIALS).build(), Contexts.withConsumers(harness.context("jwt"), consumers), clock);
    assertRefused(run(single, bearer(forged)), "TOKEN_CONSUMER_UNKNOWN");
  }

  @Test
  void qualifiesClaimConsumerIdsByIssuerWhenSeveralIssuersAreAccepted() {
    // Review #1, claims mode: partner-a may say sub=alice, but that must not be the IdP's alice.
    TestKey partnerKey = TestKey.rsa("partner-a-2026", JWSAlgorithm.RS256);
    Policy p = policy(new ConfigBuilder().key(KeyConfig.pem(RS256.pem()).withIssuer(ISS))
        .key(KeyConfig.pem(partnerKey.pem()).withIssuer("partner-a")).build());
    FakeExchange partner = bearer(partnerKey.sign(claims().issuer("partner-a").subject("alice").build()));
    assertThat(run(p, partner)).isNull();
    assertThat(partner.consumer().id()).isEqualTo("partner-a|alice");
    FakeExchange idp = bearer(RS256.sign(claims().build()));
    assertThat(run(p, idp)).isNull();
    assertThat(idp.consumer().id()).isEqualTo("https://sso.test|alice");
    FakeExchange twoIssuersOneKey = bearer(RS256.sign(claims().build()));
    assertThat(run(policy(new ConfigBuilder().key(KeyConfig.pem(RS256.pem())).issuers(ISS, "other").build()), twoIssuersOneKey)).isNull();
    assertThat(twoIssuersOneKey.consumer().id()).isEqualTo("https://sso.test|alice");
    FakeExchange single = bearer(RS256.sign(claims().build()));
    assertThat(run(policy(new ConfigBuilder().key(KeyConfig.pem(RS256.pem())).issuers(ISS).build()), single)).isNull();
    assertThat(single.consumer().id()).as("one issuer: the claim as it is").isEqualTo("alice");
  }

  @Test
  void requiresAnIssuerOnEveryKeySourceWhenThereAreSeveral() {
    assertThatThrownBy(() -> new ConfigBuilder().key(KeyConfig.pem(RS256.pem()).withIssuer(ISS)).key(KeyConfig.pem(ES256.pem())).build())
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("keys[1].issuer: is required when the route has more than one key source");
    assertThatThrownBy(() -> new ConfigBuilder().key(KeyConfig.pem(RS256.pem()).withIssuer(ISS)).jwks(JwksConfig.of("https://idp.test/jwks"))
        .issuers(ISS).audiences("orders").build()).hasMessageStartingWith("jwks.issuer: is required when the route has more than one key source");
    assertThatThrownBy(() -> new ConfigBuilder().key(KeyConfig.pem(RS256.pem()).withIssuer("partner-b")).issuers(ISS).build())
        .hasMessage("keys[0].issuer: 'partner-b' is not one of issuers");
    assertThat(new ConfigBuilder().key(KeyConfig.pem(RS256.pem()).withIssuer(ISS))
        .jwks(JwksConfig.of("https://idp.test/jwks").withIssuer("https://idp.test")).issuers(ISS, "https://idp.test")
        .audiences("orders").build().keys()).hasSize(1);
  }

  @Test
  void aJwksNeedsIssuersAndAudiences() {
    JwksConfig jwks = JwksConfig.of("https://idp.test/jwks");
    assertThatThrownBy(() -> new ConfigBuilder().jwks(jwks).audiences("orders").build())
        .hasMessageStartingWith("issuers: is required with a jwks URL");
    assertThatThrownBy(() -> new ConfigBuilder().jwks(jwks).issuers(ISS).build())
        .hasMessageStartingWith("audiences: is required with a jwks URL").hasMessageContaining("[\"*\"]");
    assertThatThrownBy(() -> new ConfigBuilder().jwks(jwks).issuers(ISS).audiences("*", "orders").build())
        .hasMessageStartingWith("audiences: \"*\" accepts any audience");
    Policy any = policy(new ConfigBuilder().key(KeyConfig.pem(RS256.pem())).audiences("*").build());
    assertThat(run(any, bearer(RS256.sign(claims().audience("payments").build())))).as("* accepts any audience").isNull();
  }

  @Test
  void refusesBadConfiguration() {
    assertThatThrownBy(() -> new ConfigBuilder().build()).hasMessage("needs keys or a jwks URL");
    assertThatThrownBy(() -> new KeyConfig(null, null, RS256.pem(), null, SECRET)).hasMessage("needs exactly one of pem, jwk or secret");
    assertThatThrownBy(() -> KeyConfig.secret("short")).hasMessage("secret: must be at least 32 bytes (256 bits) long");
    assertThatThrownBy(() -> new ConfigBuilder().key(KeyConfig.secret(SECRET)).algorithms("none").build())
        .hasMessageStartingWith("algorithms[0]: 'none' is not one of").hasMessageContaining("never accepted");
    assertThatThrownBy(() -> JwksConfig.of("ftp://x")).hasMessage("url: 'ftp://x' must be an http:// or https:// URL");
    assertThatThrownBy(() -> policy(new ConfigBuilder().key(KeyConfig.pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----")).build()))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("keys[0].pem: is a private key");
    assertThatThrownBy(() -> policy(new ConfigBuilder().key(KeyConfig.pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")).build()))
        .hasMessage("keys[0].pem: is not an RSA, EC or Ed25519 public key");
    assertThatThrownBy(() -> policy(new ConfigBuilder().key(KeyConfig.pem(RS256.pem())).algorithms("ES256").build()))
        .hasMessageStartingWith("keys[0]: the RSA key verifies none of the accepted algorithms");
    assertThatThrownBy(() -> new ConfigBuilder().key(KeyConfig.secret(SECRET)).claimHeaders(Map.of("sub", "Bad Header")).build())
        .hasMessage("claimHeaders.sub: 'Bad Header' is not a header name");
    assertThatThrownBy(() -> policy(new ConfigBuilder().key(KeyConfig.pem(RS256.pem())).consumerFrom(ConsumerSource.CREDENTIALS).build()))
        .hasMessage("consumerFrom: is credentials, but no consumer has a jwt credential");
    assertThat(KeyConfig.secret(SECRET).toString()).doesNotContain(SECRET);
  }

  @Test
  void usesOnlyThePluginApi() {
    PluginArchitecture.assertUsesOnlyThePluginApi("io.sluice.gateway.plugin.jwt");
  }
}
