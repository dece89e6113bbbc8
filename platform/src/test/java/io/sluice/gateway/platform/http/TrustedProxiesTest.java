// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.api.config.ConfigException;
import io.sluice.gateway.api.net.IpRange;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {

  @Test
  void matchesIpv4AndIpv6Ranges() {
    assertThat(IpRange.parse("10.0.0.0/8").contains("10.200.3.4")).isTrue();
    assertThat(IpRange.parse("10.0.0.0/8").contains("11.0.0.1")).isFalse();
    assertThat(IpRange.parse("192.168.1.7").contains("192.168.1.7")).isTrue();
    assertThat(IpRange.parse("192.168.1.7").contains("192.168.1.8")).isFalse();
    assertThat(IpRange.parse("fd00::/8").contains("fd12:3456::1")).isTrue();
    assertThat(IpRange.parse("fd00::/8").contains("fe80::1")).isFalse();
    assertThat(IpRange.parse("10.0.0.0/8").contains("::ffff:10.1.2.3")).as("IPv4-mapped").isTrue();
    assertThat(IpRange.parse("0.0.0.0/0").contains("8.8.8.8")).isTrue();
  }

  @Test
  void neverResolvesNames() {
    assertThat(IpRange.parse("10.0.0.0/8").contains("localhost")).isFalse();
    assertThatThrownBy(() -> IpRange.parse("example.com")).isInstanceOf(ConfigException.class);
  }

  @Test
  void refusesBadRanges() {
    assertThatThrownBy(() -> IpRange.parse("10.0.0.0/33")).hasMessageContaining("prefix length outside 0..32");
    assertThatThrownBy(() -> TrustedProxies.parse(List.of("10.0.0.0/8", "nonsense")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.path()).isEqualTo("[1]"));
  }

  @Test
  void trustsOnlyConfiguredPeers() {
    TrustedProxies trusted = TrustedProxies.parse(List.of("127.0.0.0/8", "::1"));
    assertThat(trusted.trusts("127.0.0.1")).isTrue();
    assertThat(trusted.trusts("0:0:0:0:0:0:0:1")).isTrue();
    assertThat(trusted.trusts("203.0.113.1")).isFalse();
    assertThat(TrustedProxies.parse(List.of()).trusts("127.0.0.1")).isFalse();
  }
}
