// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api.auth;

import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.api.config.ConfigException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The consumers of the gateway's configuration and their credentials, from
 * {@link io.sluice.gateway.api.PolicyContext#consumers()}. Authentication policies look credentials up here;
 * the configuration lists them per consumer, under the name of the mechanism that reads them:
 *
 * <pre>{@code
 * consumers:
 *   - id: alice
 *     groups: [gold]
 *     credentials:
 *       key-auth: [{ key: "sha256:9f86d0..." }]
 *       basic-auth: [{ username: alice, password: "$pbkdf2-sha256$..." }]
 * }</pre>
 *
 * A policy binds the credentials of its kind to its own record once, in {@code create}, and indexes them:
 *
 * <pre>{@code
 * Map<String, Consumer> byDigest = new HashMap<>();
 * for (Credential<KeyCredential> c : context.consumers().credentials("key-auth", KeyCredential.class)) {
 *   byDigest.put(c.value().digest(), c.consumer());
 * }
 * }</pre>
 *
 * A configuration change gives every policy a fresh view (policies are created again), so a policy never
 * watches for changes. The view is immutable and thread-safe.
 */
public interface Consumers {

  /** The configured consumer with this id, or null. */
  @Nullable Consumer byId(String id);

  /** Every configured consumer, in configuration order. */
  List<Consumer> all();

  /**
   * Every configured credential of one kind, bound to {@code type} (usually a record: unknown keys are
   * errors, validation belongs in its compact constructor), in configuration order.
   *
   * @param kind the key under {@code credentials:}, by convention the policy type ({@code key-auth})
   * @throws ConfigException naming the credential's path ({@code consumers[alice].credentials.key-auth[0].key})
   *     when one does not bind; the gateway reports it with the configuration's other problems
   */
  <C> List<Credential<C>> credentials(String kind, Class<C> type);

  /** No consumers at all: a configuration without a {@code consumers:} section. */
  static Consumers none() {
    return NoConsumers.INSTANCE;
  }
}
