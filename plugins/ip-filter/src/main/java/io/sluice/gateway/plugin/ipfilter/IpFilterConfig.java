// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.ipfilter;

import io.sluice.gateway.api.config.ConfigException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Configuration of {@code ip-filter}. Deny wins over allow; with an allow list, everything not on it is
 * denied. The client is {@code Request.clientAddress()}: the gateway resolves it through
 * {@code server.trustedProxies}, so that every policy and the access log agree on who the client is.
 *
 * @param allow ranges that may call ({@code 10.0.0.0/8}, {@code 2001:db8::/32}, {@code 192.0.2.7}); empty
 *     allows all not denied
 * @param deny ranges that may not call
 * @param trustedProxies removed: refused with a message that points to {@code server.trustedProxies}. It is
 *     kept as a field only so that an old configuration fails with that message rather than a bare "unknown
 *     key", and will go with the next major version. Ignoring it instead would be unsafe: behind a proxy
 *     every request would seem to come from the proxy, and a deny list would let everyone through.
 */
public record IpFilterConfig(List<String> allow, List<String> deny, @Deprecated @Nullable List<String> trustedProxies) {

  public IpFilterConfig {
    allow = allow != null ? List.copyOf(allow) : List.of();
    deny = deny != null ? List.copyOf(deny) : List.of();
    if (trustedProxies != null) {
      throw new ConfigException("trustedProxies", "is no longer an ip-filter setting: the gateway resolves the"
          + " client address through server.trustedProxies; move these ranges there");
    }
    if (allow.isEmpty() && deny.isEmpty()) {
      throw new ConfigException("", "needs an allow or a deny list");
    }
  }

  /** An allow and a deny list. */
  public IpFilterConfig(List<String> allow, List<String> deny) {
    this(allow, deny, null);
  }
}
