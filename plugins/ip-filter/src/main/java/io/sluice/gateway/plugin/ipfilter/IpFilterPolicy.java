// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.ipfilter;

import io.sluice.gateway.api.Exchange;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.Rejection;
import io.sluice.gateway.api.net.IpRange;
import io.vertx.core.Future;
import java.util.List;

/** Refuses clients by address with 403 {@code IP_FORBIDDEN}. Ranges are parsed once, in the factory. */
final class IpFilterPolicy implements Policy {

  static final String KEY = "IP_FORBIDDEN";

  private final List<IpRange> allow;
  private final List<IpRange> deny;

  IpFilterPolicy(List<IpRange> allow, List<IpRange> deny) {
    this.allow = allow;
    this.deny = deny;
  }

  /**
   * Decides on the client address the gateway resolved through its trusted proxies; an address that is
   * unknown (no IP literal) is refused, since no list can vouch for it.
   */
  @Override
  public Future<Void> apply(Exchange exchange, Chain chain) {
    byte[] client = IpRange.literal(exchange.request().clientAddress());
    if (client == null || matches(deny, client) || (!allow.isEmpty() && !matches(allow, client))) {
      return exchange.reject(Rejection.of(403, KEY).message("this client address may not call this route"));
    }
    return chain.proceed();
  }

  private static boolean matches(List<IpRange> ranges, byte[] address) {
    for (IpRange r : ranges) {
      if (r.contains(address)) {
        return true;
      }
    }
    return false;
  }
}
