// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class IpRangeTest {

  @Test
  void readsIpv4AndIpv6Literals() {
    assertThat(IpRange.literal("10.0.0.1")).containsExactly(10, 0, 0, 1);
    assertThat(IpRange.literal("0.0.0.0")).containsExactly(0, 0, 0, 0);
    assertThat(IpRange.literal("255.255.255.255")).containsExactly(-1, -1, -1, -1);
    assertThat(IpRange.literal("[::1]")).hasSize(16);
    assertThat(IpRange.literal("fe80::1%eth0")).hasSize(16);
  }

  /**
   * The JDK resolves a dotted string that is not a valid literal as a host name: on an event loop, from a
   * client's X-Forwarded-For. The test JVM answers names from a file (plugin-api/pom.xml) where these names
   * exist: a parser that looked them up would return their address instead of null.
   */
  @Test
  void neverResolvesWhatIsNotALiteral() throws Exception {
    assertThat(InetAddress.getByName("300.1.1.1").getHostAddress()).as("the hosts file is in use").isEqualTo("10.9.9.9");
    assertThat(IpRange.literal("300.1.1.1")).isNull();
    assertThat(IpRange.literal("010.0.0.1")).as("a leading zero (octal to some parsers)").isNull();
    assertThat(IpRange.literal("1.2.3.4.5")).isNull();
    assertThat(IpRange.literal("1.2.3")).isNull();
    assertThat(IpRange.literal("1..2.3")).isNull();
    assertThat(IpRange.literal("1.2.3.")).isNull();
    assertThat(IpRange.literal("1234.1.1.1")).isNull();
    assertThat(IpRange.literal("::ffff:300.1.1.1")).isNull();
    assertThat(IpRange.literal("example.com")).isNull();
  }
}
