// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.basicauth;

import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.PolicyContext;
import io.sluice.gateway.api.PolicyFactory;
import io.sluice.gateway.api.Stage;
import io.sluice.gateway.api.auth.Credential;
import io.sluice.gateway.api.config.ConfigException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.pf4j.Extension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code type: basic-auth}, in the {@link Stage#AUTHENTICATE} stage; reads {@code credentials: basic-auth:}. */
@Extension
public final class BasicAuthPolicyFactory implements PolicyFactory<BasicAuthConfig> {

  static final String TYPE = "basic-auth";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Stage stage() {
    return Stage.AUTHENTICATE;
  }

  @Override
  public Class<BasicAuthConfig> configType() {
    return BasicAuthConfig.class;
  }

  private static final Logger log = LoggerFactory.getLogger(BasicAuthPolicyFactory.class);

  /** Warnings already logged: each once per process, not at every reload or for every route. */
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  /** Tells the pools of successive configurations of one route apart (each is closed with its policy). */
  private static final AtomicLong POOLS = new AtomicLong();

  @Override
  public Policy create(BasicAuthConfig config, PolicyContext context) {
    Map<String, BasicAuthPolicy.User> users = users(context);
    warnOfCostSpread(context.routeId(), users);
    String pool = "sluice-basic-auth-" + context.routeId() + "-" + POOLS.incrementAndGet();
    return new BasicAuthPolicy(config, users, context.vertx().createSharedWorkerExecutor(pool, config.hashThreads()),
        System::nanoTime);
  }

  /**
   * Warns (once) when the configured hashes' costs differ by more than twice: an unknown username is checked
   * against the most expensive, so a known user with a cheaper hash is answered faster, and response times
   * can tell which usernames exist.
   */
  static void warnOfCostSpread(String routeId, Map<String, BasicAuthPolicy.User> users) {
    long min = Long.MAX_VALUE;
    long max = 0;
    Set<String> kinds = new TreeSet<>();
    for (BasicAuthPolicy.User u : users.values()) {
      min = Math.min(min, u.hash().cost());
      max = Math.max(max, u.hash().cost());
      kinds.add(u.hash().describe());
    }
    if (max > 2 * min) {
      warnOnce("route " + routeId + ": basic-auth's password hashes differ in cost (" + String.join(", ", kinds)
          + "); unknown usernames are checked against the most expensive, so users with a cheaper hash are"
          + " answered faster and response times can reveal which usernames exist: use one kind and cost");
    }
  }

  static void warnOnce(String message) {
    if (WARNED.add(message)) {
      log.warn(message);
    }
  }

  /** The configured usernames with their hashes and consumers; a username used twice is an error. */
  static Map<String, BasicAuthPolicy.User> users(PolicyContext context) {
    Map<String, BasicAuthPolicy.User> users = new HashMap<>();
    Map<String, Integer> index = new HashMap<>();
    for (Credential<BasicCredential> c : context.consumers().credentials(TYPE, BasicCredential.class)) {
      int i = index.merge(c.consumer().id(), 1, Integer::sum) - 1;
      String weakness = c.value().hash().weakness();
      if (weakness != null) {
        warnOnce("consumers[" + c.consumer().id() + "].credentials." + TYPE + "[" + i + "].password: a weak hash, "
            + weakness + "; make a stronger one with bin/sluice hash-secret --pbkdf2");
      }
      BasicAuthPolicy.User previous = users.putIfAbsent(c.value().username(),
          new BasicAuthPolicy.User(c.value().hash(), c.consumer()));
      if (previous != null) {
        throw new ConfigException("consumers[" + c.consumer().id() + "].credentials." + TYPE + "[" + i + "].username",
            "'" + c.value().username() + "' is already " + previous.consumer().id() + "'s");
      }
    }
    return Map.copyOf(users);
  }
}
