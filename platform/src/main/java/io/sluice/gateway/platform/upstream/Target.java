// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.upstream;

import java.net.URI;

/**
 * One upstream server.
 *
 * @param host host name or IP literal (IPv6 without brackets)
 * @param port TCP port
 * @param tls whether to speak HTTPS to it
 * @param weight relative share of requests, 1..1000
 */
public record Target(String host, int port, boolean tls, int weight) {

  static Target of(URI uri, int weight) {
    boolean tls = "https".equals(uri.getScheme());
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new Target(host, port, tls, weight);
  }

  /** {@code host:port}, as written in the {@code Host} header and the access log. */
  public String authority() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  @Override
  public String toString() {
    return (tls ? "https://" : "http://") + authority();
  }
}
