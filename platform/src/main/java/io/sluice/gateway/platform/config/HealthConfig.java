// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import io.sluice.gateway.api.config.ConfigException;

/**
 * The health listener: {@code GET /health/live} and {@code /health/ready} without a token, for load balancers
 * and Kubernetes probes, on its own address (Kong's status listener). It shows nothing but up/down and the names
 * of pending readiness conditions, so it needs no token; it binds to 127.0.0.1 by default all the same.
 */
public record HealthConfig(Boolean enabled, String host, Integer port) {

  public HealthConfig {
    enabled = enabled != null ? enabled : true;
    host = host != null ? host : "127.0.0.1";
    port = port != null ? port : 9091;
    if (port < 0 || port > 65535) {
      throw new ConfigException("port", "must be 0..65535");
    }
  }

  public static HealthConfig defaults() {
    return new HealthConfig(null, null, null);
  }
}
