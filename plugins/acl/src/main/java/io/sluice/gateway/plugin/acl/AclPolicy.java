// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.acl;

import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.api.Exchange;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.Rejection;
import io.vertx.core.Future;
import java.util.Set;

/** No consumer: 401 {@code AUTH_MISSING}; a denied or not allowed group: 403 {@code ACL_DENIED}. */
final class AclPolicy implements Policy {

  private static final Rejection UNAUTHENTICATED =
      Rejection.of(401, "AUTH_MISSING").message("this route needs an authenticated consumer");
  private static final Rejection DENIED = Rejection.of(403, "ACL_DENIED").message("the consumer may not use this route");

  private final Set<String> allow;
  private final Set<String> deny;

  AclPolicy(Set<String> allow, Set<String> deny) {
    this.allow = allow;
    this.deny = deny;
  }

  @Override
  public Future<Void> apply(Exchange exchange, Chain chain) {
    Consumer consumer = exchange.consumer();
    if (consumer == null) {
      return exchange.reject(UNAUTHENTICATED);
    }
    boolean allowed = allow.isEmpty();
    for (String group : consumer.groups()) {
      if (deny.contains(group)) {
        return exchange.reject(DENIED);
      }
      allowed |= allow.contains(group);
    }
    return allowed ? chain.proceed() : exchange.reject(DENIED);
  }
}
