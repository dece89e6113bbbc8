// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import io.sluice.gateway.api.config.ConfigException;

/**
 * A small built-in upstream that answers every request with a JSON description of what it received. The
 * default configuration routes {@code /demo/**} to it, so a fresh gateway answers through the proxy with
 * nothing else running. Off unless configured.
 */
public record EchoConfig(Boolean enabled, String host, Integer port) {

  public EchoConfig {
    enabled = enabled != null ? enabled : false;
    host = host != null ? host : "127.0.0.1";
    port = port != null ? port : 8079;
    if (port < 0 || port > 65535) {
      throw new ConfigException("port", "must be 0..65535");
    }
  }

  public static EchoConfig defaults() {
    return new EchoConfig(null, null, null);
  }
}
