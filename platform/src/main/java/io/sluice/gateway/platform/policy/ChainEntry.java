// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.policy;

import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.Stage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * One policy in a route's chain.
 *
 * @param type the policy type ({@code rate-limit})
 * @param stage the stage it runs in (the factory's default, or the entry's override)
 * @param source where the factory came from: a plugin id, or {@code builtin}
 * @param policy the route's instance
 * @param config the effective config (defaults applied) with secret-looking values masked, for the admin API
 */
public record ChainEntry(String type, Stage stage, String source, Policy policy, JsonNode config) {

  /** An entry without a config to show (tools and benchmarks). */
  public ChainEntry(String type, Stage stage, String source, Policy policy) {
    this(type, stage, source, policy, JsonNodeFactory.instance.objectNode());
  }
}
