// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.platform.TestClient.Reply;
import io.sluice.gateway.platform.config.InvalidConfigException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS upstreams: a private CA, SNI, refusing an unverified certificate, and the test-only opt-out. */
class UpstreamTlsIT {

  @TempDir Path dir;
  private final Vertx vertx = Vertx.vertx();
  private final AtomicReference<String> sni = new AtomicReference<>();
  private SelfSignedCertificate certificate;
  private HttpServer backend;

  @BeforeEach
  void startHttpsBackend() throws Exception {
    certificate = SelfSignedCertificate.create("orders.internal");
    Files.copy(Path.of(certificate.certificatePath()), dir.resolve("ca.pem"));
    backend = vertx.createHttpServer(new HttpServerOptions()
            .setSsl(true)
            .setSni(true)
            .setKeyCertOptions(certificate.keyCertOptions()))
        .requestHandler(r -> {
          sni.set(r.connection().indicatedServerName());
          r.response().end("secure " + r.getHeader("Host"));
        });
    backend.listen(0, "127.0.0.1").await();
  }

  @AfterEach
  void close() {
    vertx.close().await();
    certificate.delete();
  }

  private String config(String tls) {
    return """
        upstreams:
          secure:
            targets: ["https://127.0.0.1:%d"]
            tls: %s
        routes:
          - { id: r, path: "/**", upstream: secure }
        """.formatted(backend.actualPort(), tls);
  }

  @Test
  void aPrivateCaAndServerNameVerifyTheUpstream() throws Exception {
    try (TestGateway gw = TestGateway.start(dir, config("{ caFile: ca.pem, serverName: orders.internal }"));
        TestClient client = new TestClient(vertx)) {
      Reply r = client.get(gw.port(), "/x");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("secure orders.internal:" + backend.actualPort());
      assertThat(sni.get()).isEqualTo("orders.internal");
    }
  }

  @Test
  void aCertificateThatDoesNotNameTheTargetIsRefused() throws Exception {
    try (TestGateway gw = TestGateway.start(dir, config("{ caFile: ca.pem }"));
        TestClient client = new TestClient(vertx)) {
      Reply r = client.get(gw.port(), "/x");
      assertThat(r.status()).isEqualTo(502);
      assertThat(r.key()).isEqualTo("UPSTREAM_UNAVAILABLE");
      assertThat(r.json().getString("detail")).contains("TLS");
    }
  }

  @Test
  void anUntrustedCertificateIsRefused() throws Exception {
    try (TestGateway gw = TestGateway.start(dir, config("{ serverName: orders.internal }"));
        TestClient client = new TestClient(vertx)) {
      Reply r = client.get(gw.port(), "/x");
      assertThat(r.status()).isEqualTo(502);
      assertThat(r.json().getString("detail")).contains("TLS");
    }
  }

  @Test
  void verificationCanBeTurnedOffForTests() throws Exception {
    try (TestGateway gw = TestGateway.start(dir, config("{ verify: false }"));
        TestClient client = new TestClient(vertx)) {
      assertThat(client.get(gw.port(), "/x").status()).isEqualTo(200);
    }
  }

  @Test
  void anUnreadableCaFileRefusesTheConfiguration() {
    assertThatThrownBy(() -> TestGateway.start(dir, config("{ caFile: missing.pem }")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("upstreams.secure.tls.caFile: cannot read");
  }
}
