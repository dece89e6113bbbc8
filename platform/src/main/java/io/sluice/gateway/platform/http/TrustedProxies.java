// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.http;

import io.sluice.gateway.api.config.ConfigException;
import io.sluice.gateway.api.net.IpRange;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The peers whose {@code X-Forwarded-*} and {@code Forwarded} headers the gateway believes. Empty by default:
 * a client can write any {@code X-Forwarded-For} it likes, so the gateway replaces it unless the connection
 * comes from a configured load balancer.
 */
public final class TrustedProxies {

  private final List<IpRange> ranges;

  private TrustedProxies(List<IpRange> ranges) {
    this.ranges = List.copyOf(ranges);
  }

  /**
   * @throws ConfigException with the index of the bad entry as its path
   */
  public static TrustedProxies parse(List<String> entries) {
    List<IpRange> ranges = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      try {
        ranges.add(IpRange.parse(entries.get(i)));
      } catch (ConfigException e) {
        throw e.at("[" + i + "]");
      }
    }
    return new TrustedProxies(ranges);
  }

  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  /** Whether the peer at {@code address} (an IP literal, or null when unknown) is trusted. */
  public boolean trusts(@Nullable String address) {
    if (ranges.isEmpty() || address == null) {
      return false;
    }
    byte[] bytes = IpRange.literal(address);
    if (bytes == null) {
      return false;
    }
    for (IpRange c : ranges) {
      if (c.contains(bytes)) {
        return true;
      }
    }
    return false;
  }
}
