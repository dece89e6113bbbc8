// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.keyauth;

import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.PolicyContext;
import io.sluice.gateway.api.PolicyFactory;
import io.sluice.gateway.api.Stage;
import io.sluice.gateway.api.auth.Credential;
import io.sluice.gateway.api.config.ConfigException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/** {@code type: key-auth}, in the {@link Stage#AUTHENTICATE} stage; reads {@code credentials: key-auth:}. */
@Extension
public final class KeyAuthPolicyFactory implements PolicyFactory<KeyAuthConfig> {

  static final String TYPE = "key-auth";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Stage stage() {
    return Stage.AUTHENTICATE;
  }

  @Override
  public Class<KeyAuthConfig> configType() {
    return KeyAuthConfig.class;
  }

  @Override
  public Policy create(KeyAuthConfig config, PolicyContext context) {
    List<Credential<KeyCredential>> credentials = context.consumers().credentials(TYPE, KeyCredential.class);
    Map<String, KeyAuthPolicy.Known> byDigest = new HashMap<>();
    Map<String, Integer> index = new HashMap<>();
    for (Credential<KeyCredential> c : credentials) {
      String consumer = c.consumer().id();
      int i = index.merge(consumer, 1, Integer::sum) - 1;
      byte[] digest = c.value().digest();
      KeyAuthPolicy.Known previous = byDigest.putIfAbsent(HexFormat.of().formatHex(digest),
          new KeyAuthPolicy.Known(digest,
              c.value().scopes().isEmpty() ? c.consumer() : c.consumer().withScopes(c.value().scopes())));
      if (previous != null) {
        throw new ConfigException("consumers[" + consumer + "].credentials." + TYPE + "[" + i + "].key",
            "the same key is already " + previous.consumer().id() + "'s");
      }
    }
    return new KeyAuthPolicy(config, Map.copyOf(byDigest));
  }

}
