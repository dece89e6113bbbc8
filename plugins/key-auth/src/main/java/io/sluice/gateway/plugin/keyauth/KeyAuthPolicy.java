// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.keyauth;

import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.api.Exchange;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.QueryStrings;
import io.sluice.gateway.api.Rejection;
import io.sluice.gateway.api.Request;
import io.sluice.gateway.api.auth.MissingCredentials;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Finds the key, hashes it once (SHA-256) and looks the digest up; the match is confirmed with
 * {@link MessageDigest#isEqual}. Only digests are held, so the lookup reveals nothing about stored keys.
 */
final class KeyAuthPolicy implements Policy {

  /** A configured key's digest and its consumer. */
  record Known(byte[] digest, Consumer consumer) {}

  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  });

  private final String header;
  private final @Nullable String queryParam;
  private final boolean hide;
  private final Map<String, Known> byDigest;
  private final Rejection missing;
  private final Rejection invalid;

  KeyAuthPolicy(KeyAuthConfig config, Map<String, Known> byDigest) {
    this.header = config.header();
    this.queryParam = config.queryParam();
    this.hide = config.hideCredentials();
    this.byDigest = byDigest;
    String challenge = "ApiKey realm=\"" + config.realm() + "\"";
    this.missing = Rejection.of(401, "API_KEY_MISSING").message("an API key is required")
        .header("WWW-Authenticate", challenge);
    this.invalid = Rejection.of(401, "API_KEY_INVALID").message("the API key is not valid")
        .header("WWW-Authenticate", challenge);
  }

  @Override
  public Future<Void> apply(Exchange exchange, Chain chain) {
    Request request = exchange.request();
    String key = request.headers().get(header);
    if (key == null && queryParam != null && request.query() != null) {
      key = request.queryParams().get(queryParam);
    }
    if (key == null || key.isEmpty()) {
      return MissingCredentials.reject(exchange, missing);
    }
    MessageDigest sha = SHA256.get();
    byte[] digest = sha.digest(key.getBytes(StandardCharsets.UTF_8));
    Known known = byDigest.get(HexFormat.of().formatHex(digest));
    if (known == null || !MessageDigest.isEqual(known.digest(), digest)) {
      return exchange.reject(invalid);
    }
    exchange.consumer(known.consumer());
    if (hide) {
      // Only once the key is accepted: a refusal leaves the request as it came, for the next policy of an
      // any-of (key-auth on Authorization beside basic-auth). Always through QueryStrings, which matches
      // names as the lookup above did (decoded, any case): a raw contains() missed ?api%5Fkey= and ?APIKEY=.
      request.headers().remove(header);
      if (queryParam != null && request.query() != null) {
        request.query(QueryStrings.without(request.query(), queryParam));
      }
    }
    return chain.proceed();
  }
}
