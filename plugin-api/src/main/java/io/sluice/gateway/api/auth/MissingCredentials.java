// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api.auth;

import io.sluice.gateway.api.AttributeKey;
import io.sluice.gateway.api.Exchange;
import io.sluice.gateway.api.Rejection;
import io.vertx.core.Future;

/**
 * The typed outcome "this request presents no credential of my kind", as opposed to "it presents one and it
 * is wrong". Under {@code authentication: {mode: any}} the difference decides the answer: when every policy
 * refuses, a wrong credential is answered with its own refusal, and only a request without any credential
 * gets the {@code anonymous} consumer (or {@code 401 AUTH_MISSING}).
 *
 * <pre>{@code
 * if (key == null) {
 *   return MissingCredentials.reject(exchange, Rejection.of(401, "API_KEY_MISSING"));
 * }
 * }</pre>
 *
 * <p>A refusal without the mark counts as a wrong credential, whatever its key: the fallback to anonymous
 * fails closed. (Before this type the gateway read a {@code _MISSING} key suffix; it no longer does.) Script
 * policies set the attribute by its name, {@value #NAME}, to {@code true}.
 */
public final class MissingCredentials {

  /** The attribute's name. */
  public static final String NAME = "auth.credentials-missing";

  /** Set to true by a policy refusing a request that carries none of its credentials. */
  public static final AttributeKey<Boolean> KEY = AttributeKey.of(NAME, Boolean.class);

  private MissingCredentials() {}

  /** Marks the exchange as carrying no credential of the calling policy's kind and rejects it. */
  public static Future<Void> reject(Exchange exchange, Rejection rejection) {
    exchange.put(KEY, Boolean.TRUE);
    return exchange.reject(rejection);
  }

  /** Whether the last refusing policy marked the exchange. */
  public static boolean marked(Exchange exchange) {
    return Boolean.TRUE.equals(exchange.get(KEY));
  }
}
