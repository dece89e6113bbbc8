// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import io.sluice.gateway.api.config.ConfigException;
import org.jspecify.annotations.Nullable;

/**
 * The admin API listener. It binds to 127.0.0.1 and requires a bearer token by default. When no
 * {@code token} is configured, the gateway generates one at start and writes it to {@code tokenFile}
 * (relative to the config file's directory, readable by the owner only), so a fresh install is never open.
 */
public record AdminConfig(
    Boolean enabled, String host, Integer port, @Nullable String token, String tokenFile) {

  public AdminConfig {
    enabled = enabled != null ? enabled : true;
    host = host != null ? host : "127.0.0.1";
    port = port != null ? port : 9090;
    tokenFile = tokenFile != null ? tokenFile : "admin.token";
    if (port < 0 || port > 65535) {
      throw new ConfigException("port", "must be 0..65535");
    }
    if (token != null && token.length() < 16) {
      throw new ConfigException("token", "must be at least 16 characters");
    }
  }

  public static AdminConfig defaults() {
    return new AdminConfig(null, null, null, null, null);
  }

  /** Never prints the token. */
  @Override
  public String toString() {
    return "AdminConfig[enabled=" + enabled + ", host=" + host + ", port=" + port + ", token=<redacted>]";
  }
}
