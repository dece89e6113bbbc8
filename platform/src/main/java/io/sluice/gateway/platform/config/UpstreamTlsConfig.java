// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import io.sluice.gateway.api.config.ConfigException;
import org.jspecify.annotations.Nullable;

/**
 * How the gateway verifies {@code https://} targets. Without this section the JVM's trust store is used and
 * the certificate must name the target's host.
 *
 * @param caFile PEM file of the certificate authorities to trust instead of the JVM's (relative to the
 *     config file)
 * @param serverName the name sent in SNI and checked against the certificate, instead of the target's host
 *     (also the default {@code Host} header)
 * @param verify {@code false} accepts any certificate: for tests only, logged as a warning at every load
 */
public record UpstreamTlsConfig(@Nullable String caFile, @Nullable String serverName, Boolean verify) {

  public UpstreamTlsConfig {
    verify = verify != null ? verify : true;
    if (caFile != null && caFile.isBlank()) {
      throw new ConfigException("caFile", "must not be empty");
    }
    if (serverName != null && (serverName.isBlank() || serverName.indexOf(':') >= 0 || serverName.indexOf('/') >= 0)) {
      throw new ConfigException("serverName", "'" + serverName + "' must be a host name without port");
    }
    if (!verify && caFile != null) {
      throw new ConfigException("verify", "cannot be false when a caFile is given");
    }
  }

  public static UpstreamTlsConfig defaults() {
    return new UpstreamTlsConfig(null, null, null);
  }
}
