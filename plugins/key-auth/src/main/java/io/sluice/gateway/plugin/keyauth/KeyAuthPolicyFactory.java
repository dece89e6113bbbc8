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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.pf4j.Extension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code type: key-auth}, in the {@link Stage#AUTHENTICATE} stage; reads {@code credentials: key-auth:}. */
@Extension
public final class KeyAuthPolicyFactory implements PolicyFactory<KeyAuthConfig> {

  static final String TYPE = "key-auth";

  /** Clear keys shorter than this are accepted with a warning. */
  static final int MIN_CLEAR_LENGTH = 16;

  private static final Logger log = LoggerFactory.getLogger(KeyAuthPolicyFactory.class);

  /** Warnings already logged: each once per process, not at every reload or for every route. */
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  static void warnOnce(String message) {
    if (WARNED.add(message)) {
      log.warn(message);
    }
  }

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
      if (!c.value().key().startsWith(KeyCredential.PREFIX) && c.value().key().length() < MIN_CLEAR_LENGTH) {
        warnOnce("consumers[" + consumer + "].credentials." + TYPE + "[" + i + "].key: a clear key of "
            + c.value().key().length() + " characters can be guessed; use at least " + MIN_CLEAR_LENGTH
            + " random characters (openssl rand -hex 24) and store its sha256: digest (bin/sluice hash-secret --sha256)");
      }
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
