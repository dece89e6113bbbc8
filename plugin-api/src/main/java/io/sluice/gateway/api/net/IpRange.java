// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api.net;

import io.sluice.gateway.api.config.ConfigException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.jspecify.annotations.Nullable;

/**
 * An IPv4 or IPv6 address range, for policies that allow, deny or trust peers by address: {@code 10.0.0.0/8}, {@code fd00::/8}, or one address ({@code 127.0.0.1}).
 * IPv4-mapped IPv6 addresses ({@code ::ffff:10.1.2.3}) match IPv4 ranges.
 */
public final class IpRange {

  private final byte[] network;
  private final int prefix;
  private final String text;

  private IpRange(byte[] network, int prefix, String text) {
    this.network = network;
    this.prefix = prefix;
    this.text = text;
  }

  /**
   * @throws ConfigException with an empty path when {@code text} is not an address or range
   */
  public static IpRange parse(String text) {
    String t = text.trim();
    int slash = t.indexOf('/');
    String addr = slash >= 0 ? t.substring(0, slash) : t;
    byte[] bytes = literal(addr);
    if (bytes == null) {
      throw new ConfigException("", "'" + text + "' is not an IP address or CIDR range");
    }
    int max = bytes.length * 8;
    int prefix = max;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(t.substring(slash + 1));
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > max) {
        throw new ConfigException("", "'" + text + "' has a prefix length outside 0.." + max);
      }
    }
    return new IpRange(mask(bytes, prefix), prefix, t);
  }

  /** Whether {@code address} (an IP literal) lies in this range; false for anything that is not a literal. */
  public boolean contains(String address) {
    byte[] bytes = literal(address);
    return bytes != null && contains(bytes);
  }

  /** Whether the raw address bytes (4 or 16) lie in this range. Allocation-free: it runs per request. */
  public boolean contains(byte[] address) {
    int offset = 0;
    if (address.length == 16 && network.length == 4 && isIpv4Mapped(address)) {
      offset = 12;
    } else if (address.length != network.length) {
      return false;
    }
    int whole = prefix / 8;
    for (int i = 0; i < whole; i++) {
      if (address[offset + i] != network[i]) {
        return false;
      }
    }
    int bits = prefix % 8;
    if (bits == 0) {
      return true;
    }
    int mask = (0xff << (8 - bits)) & 0xff;
    return (address[offset + whole] & mask) == (network[whole] & 0xff);
  }

  private static boolean isIpv4Mapped(byte[] a) {
    for (int i = 0; i < 10; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
  }

  private static byte[] mask(byte[] bytes, int prefix) {
    byte[] out = bytes.clone();
    for (int i = 0; i < out.length; i++) {
      int bits = Math.max(0, Math.min(8, prefix - i * 8));
      out[i] = (byte) (out[i] & (0xff << (8 - bits)));
    }
    return out;
  }

  /** Parses an IP literal without ever resolving a name; null when it is not one. */
  public static byte @Nullable [] literal(String addr) {
    String a = addr;
    if (a.startsWith("[") && a.endsWith("]")) {
      a = a.substring(1, a.length() - 1);
    }
    int zone = a.indexOf('%');
    if (zone >= 0) {
      a = a.substring(0, zone);
    }
    if (a.isEmpty()) {
      return null;
    }
    boolean colon = a.indexOf(':') >= 0;
    for (int i = 0; i < a.length(); i++) {
      char c = a.charAt(i);
      boolean ok = (c >= '0' && c <= '9') || c == '.' || (colon && (c == ':' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
      if (!ok) {
        return null;
      }
    }
    if (!colon) {
      // By hand: the JDK resolves a dotted string that is not a valid literal (300.1.1.1, 010.0.0.1) as a name.
      return ipv4(a);
    }
    try {
      // A string with ':' is an IPv6 literal or refused, never looked up (InetAddress.getAllByName).
      return InetAddress.getByName(a).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** Four decimal octets, 0..255, without leading zeros (which some parsers read as octal); null otherwise. */
  private static byte @Nullable [] ipv4(String a) {
    byte[] out = new byte[4];
    int part = 0;
    int value = -1;
    int digits = 0;
    for (int i = 0; i <= a.length(); i++) {
      char c = i < a.length() ? a.charAt(i) : '.';
      if (c == '.') {
        if (digits == 0 || part == 4) {
          return null;
        }
        out[part++] = (byte) value;
        value = -1;
        digits = 0;
      } else {
        if (digits > 0 && value == 0) {
          return null; // a leading zero
        }
        value = (value < 0 ? 0 : value * 10) + (c - '0');
        if (++digits > 3 || value > 255) {
          return null;
        }
      }
    }
    return part == 4 ? out : null;
  }

  @Override
  public String toString() {
    return text;
  }
}
