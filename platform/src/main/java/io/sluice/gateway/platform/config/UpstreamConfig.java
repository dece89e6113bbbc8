// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import io.sluice.gateway.api.config.ConfigException;
import java.util.List;

/**
 * A named group of upstream targets that routes refer to by name. Requests are spread over the targets in
 * weighted round-robin order.
 */
public record UpstreamConfig(List<TargetConfig> targets) {

  public UpstreamConfig {
    if (targets == null || targets.isEmpty()) {
      throw new ConfigException("targets", "must list at least one target");
    }
    targets = List.copyOf(targets);
  }
}
