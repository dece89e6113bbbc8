// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.jwt;

import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.PolicyContext;
import io.sluice.gateway.api.PolicyFactory;
import io.sluice.gateway.api.Stage;
import io.sluice.gateway.api.auth.Credential;
import io.sluice.gateway.api.config.ConfigException;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.pf4j.Extension;

/** {@code type: jwt}, in the {@link Stage#AUTHENTICATE} stage. */
@Extension
public final class JwtPolicyFactory implements PolicyFactory<JwtConfig> {

  /** The credential kind under a consumer's {@code credentials:}. */
  static final String CREDENTIAL_KIND = "jwt";

  @Override
  public String type() {
    return "jwt";
  }

  @Override
  public Stage stage() {
    return Stage.AUTHENTICATE;
  }

  @Override
  public Class<JwtConfig> configType() {
    return JwtConfig.class;
  }

  @Override
  public Policy create(JwtConfig config, PolicyContext context) {
    return create(config, context, Clock.systemUTC());
  }

  /** As {@link #create(JwtConfig, PolicyContext)}, with the clock that tests control. */
  static JwtPolicy create(JwtConfig config, PolicyContext context, Clock clock) {
    KeySet inline = InlineKeys.parse(config.keys(), config.algorithms());
    JwksSource jwks = config.jwks() == null ? null
        : new JwksSource(context.httpClient(), config.jwks(), config.algorithms(), clock, context.routeId());
    Map<String, Consumer> bySubject = new HashMap<>();
    Map<String, Consumer> byKid = new HashMap<>();
    Set<String> ownedKids = new HashSet<>();
    if (config.consumerFrom() == ConsumerSource.CREDENTIALS) {
      for (Credential<JwtCredential> c : context.consumers().credentials(CREDENTIAL_KIND, JwtCredential.class)) {
        JwtCredential jwt = c.value();
        if (jwt.kid() != null) {
          ownedKids.add(jwt.kid());
        }
        Map<String, Consumer> index = jwt.subject() != null ? bySubject : byKid;
        String key = jwt.issuer() + '\n' + (jwt.subject() != null ? jwt.subject() : jwt.kid());
        Consumer previous = index.putIfAbsent(key, c.consumer());
        if (previous != null && !previous.id().equals(c.consumer().id())) {
          throw new ConfigException("consumerFrom", "consumers '" + previous.id() + "' and '" + c.consumer().id()
              + "' have the same jwt credential (issuer " + jwt.issuer() + ")");
        }
      }
      if (bySubject.isEmpty() && byKid.isEmpty()) {
        throw new ConfigException("consumerFrom", "is credentials, but no consumer has a jwt credential");
      }
    }
    return new JwtPolicy(config, inline, jwks, clock, bySubject, byKid, ownedKids);
  }
}
