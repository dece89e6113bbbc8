// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.gateway.api.Stage;
import io.sluice.gateway.api.config.ConfigException;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a policy list (global {@code policies:} or a route's).
 *
 * @param type the policy type, e.g. {@code rate-limit}
 * @param stage overrides the factory's default stage
 * @param config the policy's settings, bound to the factory's config type when the chain is built
 */
public record PolicyConfig(String type, @Nullable Stage stage, @Nullable JsonNode config) {

  public PolicyConfig {
    if (type == null || type.isBlank()) {
      throw new ConfigException("type", "is required");
    }
  }
}
