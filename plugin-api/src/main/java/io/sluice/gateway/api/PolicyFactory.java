// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api;

import io.sluice.gateway.api.admin.AdminEndpoint;
import io.sluice.gateway.api.config.ConfigException;
import org.jspecify.annotations.Nullable;
import org.pf4j.ExtensionPoint;

/**
 * Extension point: turns one route's configuration of a policy type into a {@link Policy}. Plugins provide
 * factories as PF4J extensions ({@code @Extension}); the gateway also finds them on its own class path.
 *
 * <pre>{@code
 * @Extension
 * public final class RateLimitPolicyFactory implements PolicyFactory<RateLimitConfig> {
 *   public String type() { return "rate-limit"; }
 *   public Stage stage() { return Stage.LIMIT; }
 *   public Class<RateLimitConfig> configType() { return RateLimitConfig.class; }
 *   public Policy create(RateLimitConfig config, PolicyContext context) {
 *     return new RateLimitPolicy(config, context.cluster().counters());
 *   }
 * }
 * }</pre>
 *
 * <p>{@link #create} runs once per route whenever the configuration is loaded or reloaded, off the event
 * loop; it may block briefly (read a file, compile a pattern) but must not wait on the network.
 *
 * @param <C> the configuration record
 */
public interface PolicyFactory<C> extends ExtensionPoint {

  /** The stable kebab-case id used in route configuration ({@code type: rate-limit}). Never derived from a class name. */
  String type();

  /** The stage this policy runs in unless a route says otherwise. */
  Stage stage();

  /**
   * The type the route's {@code config:} object binds to, usually a record. Unknown keys are errors; defaults
   * and validation belong in its compact constructor, which throws {@link ConfigException} naming the field.
   * A policy without settings uses {@link NoConfig}.
   */
  Class<C> configType();

  /**
   * Validates and precompiles ({@code regexes}, templates, key lists) and returns the route's policy.
   *
   * @throws ConfigException when the configuration cannot work; the gateway prefixes its path
   */
  Policy create(C config, PolicyContext context);

  /**
   * The admin requests of this policy type, mounted at {@code /admin/<type>} and below on the admin listener
   * (see {@link AdminEndpoint} for the contract); null, the default, for none. Called by the gateway on every
   * such admin request, on the admin listener's event loop, so return a field, not a new object each time.
   *
   * <p>Why on the factory and not an extension point of its own: the factory is what created the routes'
   * policies, so the endpoint reaches their state (a cache's keys and purge rules) without a static registry;
   * the type id is already unique in a plugin generation, so the mount name cannot clash; and a hot reload
   * replaces the factory, so the mount follows the current generation with nothing else to discover.
   */
  default @Nullable AdminEndpoint admin() {
    return null;
  }
}
