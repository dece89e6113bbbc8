// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.benchmarks;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.plugin.jwt.JwtConfig;
import io.sluice.gateway.plugin.jwt.JwtPolicyFactory;
import io.sluice.gateway.plugin.jwt.KeyConfig;
import io.sluice.gateway.testkit.FakeExchange;
import io.sluice.gateway.testkit.PolicyHarness;
import io.sluice.gateway.testkit.TestChain;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The {@code jwt} policy's cost for one request: a token in {@code Authorization: Bearer}, verified against an
 * inline key, the consumer set, the chain proceeding to an upstream that has already answered. {@code cached}
 * false turns the verified-token cache off (parse + signature check + claims every time); true is a repeat
 * token (one map lookup by the Authorization line; consumer and claim headers come ready from the entry).
 * One key per family: RS256 and PS256 (RSA 2048), ES256 (P-256), EdDSA (Ed25519), HS256. The figures include
 * the FakeExchange each invocation builds (about 800 B of the cached case's allocation). Runs on the calling
 * thread: inline keys need no event loop.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JwtVerifyBenchmark {

  @Param({"RS256", "PS256", "ES256", "EdDSA", "HS256"})
  String alg;

  @Param({"false", "true"})
  boolean cached;

  PolicyHarness harness;
  Policy policy;
  String header;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    harness = new PolicyHarness();
    JWSAlgorithm algorithm = JWSAlgorithm.parse(alg);
    KeyConfig key;
    JWSSigner signer;
    switch (alg) {
      case "RS256", "PS256" -> {
        RSAKey rsa = new RSAKeyGenerator(2048).generate();
        key = KeyConfig.pem(pem(rsa.toPublicKey()));
        signer = new RSASSASigner(rsa);
      }
      case "ES256" -> {
        ECKey ec = new ECKeyGenerator(Curve.P_256).generate();
        key = KeyConfig.pem(pem(ec.toPublicKey()));
        signer = new ECDSASigner(ec);
      }
      case "EdDSA" -> {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        key = KeyConfig.pem(pem(pair.getPublic()));
        signer = new JWSSigner() {
          @Override
          public Base64URL sign(JWSHeader h, byte[] input) {
            try {
              Signature s = Signature.getInstance("Ed25519");
              s.initSign(pair.getPrivate());
              s.update(input);
              return Base64URL.encode(s.sign());
            } catch (java.security.GeneralSecurityException e) {
              throw new IllegalStateException(e);
            }
          }

          @Override
          public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return Set.of(JWSAlgorithm.EdDSA);
          }

          @Override
          public com.nimbusds.jose.jca.JCAContext getJCAContext() {
            return new com.nimbusds.jose.jca.JCAContext();
          }
        };
      }
      default -> {
        String secret = "a-benchmark-secret-of-at-least-thirty-two-bytes";
        key = KeyConfig.secret(secret);
        signer = new MACSigner(secret.getBytes(StandardCharsets.UTF_8));
      }
    }
    JwtConfig config = new JwtConfig(List.of(key), null, List.of(alg), List.of("https://sso.bench"), List.of("orders"),
        null, null, null, null, null, null, null, cached ? Duration.ofMinutes(5) : Duration.ZERO, null, null);
    policy = new JwtPolicyFactory().create(config, harness.context("jwt"));
    Instant now = Instant.now();
    SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), new JWTClaimsSet.Builder().issuer("https://sso.bench")
        .audience("orders").subject("alice").claim("scope", "orders:read orders:write")
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600))).build());
    jwt.sign(signer);
    header = "Bearer " + jwt.serialize();
    if (verify().failed() || verifyRejected) {
      throw new IllegalStateException("the benchmark token is refused");
    }
  }

  boolean verifyRejected;

  @TearDown(Level.Trial)
  public void tearDown() {
    harness.close();
  }

  @Benchmark
  public Future<Void> verify() {
    FakeExchange exchange = FakeExchange.request(HttpMethod.GET, "/orders").header("Authorization", header);
    Future<Void> done = policy.apply(exchange, TestChain.upstreamOk(exchange));
    verifyRejected = exchange.rejected();
    return done;
  }

  private static String pem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }
}
