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
import org.pf4j.Extension;

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

  @Override
  public Policy create(BasicAuthConfig config, PolicyContext context) {
    return new BasicAuthPolicy(config, users(context),
        context.vertx().createSharedWorkerExecutor("sluice-basic-auth-" + context.routeId(), config.hashThreads()),
        System::nanoTime);
  }

  /** The configured usernames with their hashes and consumers; a username used twice is an error. */
  static Map<String, BasicAuthPolicy.User> users(PolicyContext context) {
    Map<String, BasicAuthPolicy.User> users = new HashMap<>();
    Map<String, Integer> index = new HashMap<>();
    for (Credential<BasicCredential> c : context.consumers().credentials(TYPE, BasicCredential.class)) {
      int i = index.merge(c.consumer().id(), 1, Integer::sum) - 1;
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
