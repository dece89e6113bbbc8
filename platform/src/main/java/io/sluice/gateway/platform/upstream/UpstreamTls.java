// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.upstream;

import io.sluice.gateway.api.config.ConfigException;
import io.sluice.gateway.platform.config.UpstreamTlsConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the TLS client options of an upstream's {@code https://} targets from its {@code tls:} section. */
final class UpstreamTls {

  private static final Logger log = LoggerFactory.getLogger(UpstreamTls.class);

  private UpstreamTls() {}

  /**
   * The options to connect with, or null for the client's defaults (JVM trust store, host name verified).
   * The CA file is read and parsed now, so that a bad file refuses the configuration at load.
   *
   * @param configDir what a relative {@code caFile} is relative to
   */
  static @Nullable ClientSSLOptions options(String upstream, UpstreamTlsConfig tls, @Nullable Path configDir) {
    if (tls.caFile() == null && tls.verify()) {
      return null;
    }
    ClientSSLOptions options = new ClientSSLOptions().setHostnameVerificationAlgorithm("HTTPS");
    if (!tls.verify()) {
      log.warn("upstream {}: TLS certificates are not verified (tls.verify: false); use this for tests only", upstream);
      return options.setTrustAll(true).setHostnameVerificationAlgorithm("");
    }
    Path file = Path.of(tls.caFile());
    if (!file.isAbsolute() && configDir != null) {
      file = configDir.resolve(file);
    }
    byte[] pem;
    try {
      pem = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ConfigException("tls.caFile", "cannot read " + file + ": " + e.getMessage());
    }
    try {
      if (CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem)).isEmpty()) {
        throw new ConfigException("tls.caFile", file + " holds no PEM certificate");
      }
    } catch (CertificateException e) {
      throw new ConfigException("tls.caFile", file + " is not a PEM certificate file: " + e.getMessage());
    }
    return options.setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(pem)));
  }
}
