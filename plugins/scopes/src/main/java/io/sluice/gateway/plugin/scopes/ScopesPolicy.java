// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.scopes;

import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.api.Exchange;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.Rejection;
import io.vertx.core.Future;
import java.util.List;
import java.util.Set;

/**
 * No consumer: 401 {@code AUTH_MISSING}; scopes lacking: 403 {@code INSUFFICIENT_SCOPE} with
 * {@code WWW-Authenticate: Bearer error="insufficient_scope", scope="..."} (RFC 6750 §3.1).
 */
final class ScopesPolicy implements Policy {

  private static final Rejection UNAUTHENTICATED =
      Rejection.of(401, "AUTH_MISSING").message("this route needs an authenticated consumer");

  private final String[] required;
  private final boolean any;
  private final Rejection insufficient;

  ScopesPolicy(List<String> required, boolean any) {
    this.required = required.toArray(String[]::new);
    this.any = any;
    String scope = String.join(" ", required);
    this.insufficient = Rejection.of(403, "INSUFFICIENT_SCOPE")
        .message((any ? "one of these scopes is required: " : "these scopes are required: ") + scope)
        .header("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\"" + scope + "\"");
  }

  @Override
  public Future<Void> apply(Exchange exchange, Chain chain) {
    Consumer consumer = exchange.consumer();
    if (consumer == null) {
      return exchange.reject(UNAUTHENTICATED);
    }
    Set<String> granted = consumer.scopes();
    boolean ok = !any;
    for (String s : required) {
      boolean has = granted.contains(s);
      if (any && has) {
        ok = true;
        break;
      }
      if (!any && !has) {
        ok = false;
        break;
      }
    }
    return ok ? chain.proceed() : exchange.reject(insufficient);
  }
}
