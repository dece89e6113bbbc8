// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.ipfilter;

import io.sluice.gateway.api.config.ConfigException;
import java.util.List;

/**
 * Configuration of {@code ip-filter}. Deny wins over allow; with an allow list, everything not on it is
 * denied.
 *
 * @param allow ranges that may call ({@code 10.0.0.0/8}, {@code 2001:db8::/32}, {@code 192.0.2.7}); empty
 *     allows all not denied
 * @param deny ranges that may not call
 * @param trustedProxies peers whose {@code X-Forwarded-For} is believed: the client is the right-most address
 *     in it that is not itself a trusted proxy. Empty: the connection's address is the client.
 */
public record IpFilterConfig(List<String> allow, List<String> deny, List<String> trustedProxies) {

  public IpFilterConfig {
    allow = allow != null ? List.copyOf(allow) : List.of();
    deny = deny != null ? List.copyOf(deny) : List.of();
    trustedProxies = trustedProxies != null ? List.copyOf(trustedProxies) : List.of();
    if (allow.isEmpty() && deny.isEmpty()) {
      throw new ConfigException("", "needs an allow or a deny list");
    }
  }
}
