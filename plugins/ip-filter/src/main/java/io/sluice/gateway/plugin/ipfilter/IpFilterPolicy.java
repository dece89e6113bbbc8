// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.ipfilter;

import io.sluice.gateway.api.Exchange;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.Rejection;
import io.sluice.gateway.api.net.IpRange;
import io.vertx.core.Future;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Refuses clients by address with 403 {@code IP_FORBIDDEN}. Ranges are parsed once, in the factory. */
final class IpFilterPolicy implements Policy {

  static final String KEY = "IP_FORBIDDEN";

  private final List<IpRange> allow;
  private final List<IpRange> deny;
  private final List<IpRange> trustedProxies;

  IpFilterPolicy(List<IpRange> allow, List<IpRange> deny, List<IpRange> trustedProxies) {
    this.allow = allow;
    this.deny = deny;
    this.trustedProxies = trustedProxies;
  }

  @Override
  public Future<Void> apply(Exchange exchange, Chain chain) {
    byte[] client = clientAddress(exchange);
    if (client == null || matches(deny, client) || (!allow.isEmpty() && !matches(allow, client))) {
      return exchange.reject(Rejection.of(403, KEY).message("this client address may not call this route"));
    }
    return chain.proceed();
  }

  /**
   * The connection's address; behind trusted proxies, the right-most {@code X-Forwarded-For} entry that is not
   * a trusted proxy (entries left of it could have been written by the client).
   */
  private byte @Nullable [] clientAddress(Exchange exchange) {
    byte[] peer = IpRange.literal(exchange.request().remoteAddress());
    if (peer == null || trustedProxies.isEmpty() || !matches(trustedProxies, peer)) {
      return peer;
    }
    String xff = exchange.request().headers().get("X-Forwarded-For");
    if (xff == null) {
      return peer;
    }
    String[] hops = xff.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      byte[] hop = IpRange.literal(hops[i].trim());
      if (hop == null) {
        return null;
      }
      if (!matches(trustedProxies, hop)) {
        return hop;
      }
    }
    return IpRange.literal(hops[0].trim());
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
