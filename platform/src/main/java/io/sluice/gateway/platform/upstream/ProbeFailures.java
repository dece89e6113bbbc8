// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.upstream;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Why a health probe failed, in plain words for logs and {@code /admin/upstreams}: {@code connection refused by
 * 10.0.0.5:8080} rather than Netty's {@code AnnotatedConnectException: finishConnect(..) failed with error(-111)}.
 */
final class ProbeFailures {

  private ProbeFailures() {}

  /**
   * @param target {@code host:port} of the probed target
   * @param timeoutMillis the probe's timeout, named when the probe ran out of time
   * @param timedOut whether the probe's own deadline fired (it resets the request)
   */
  static String describe(Throwable failure, String target, long timeoutMillis, boolean timedOut) {
    if (timedOut) {
      return "no response from " + target + " within " + timeoutMillis + "ms";
    }
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (t instanceof UnknownHostException || message.contains("failed to resolve")) {
        return "unknown host " + host(target);
      }
      if (t instanceof SSLException) {
        return "TLS handshake with " + target + " failed: " + sslReason(t);
      }
      if (t instanceof io.netty.channel.ConnectTimeoutException || message.contains("connection timed out")) {
        return "no connection to " + target + " within " + timeoutMillis + "ms";
      }
      if (t instanceof NoRouteToHostException || message.contains("no route to host") || message.contains("(-113)")) {
        return "no route to " + target;
      }
      if (t instanceof ConnectException) {
        return message.contains("refused") || message.contains("(-111)")
            ? "connection refused by " + target
            : "cannot connect to " + target;
      }
      if (message.contains("connection reset") || message.contains("(-104)")) {
        return "connection reset by " + target;
      }
      if (message.contains("closed")) {
        return "connection closed by " + target + " before a response";
      }
    }
    return "probe of " + target + " failed: " + failure.getMessage();
  }

  private static String host(String target) {
    int colon = target.lastIndexOf(':');
    return colon > 0 ? target.substring(0, colon) : target;
  }

  private static String sslReason(Throwable t) {
    String message = t.getMessage() == null ? "" : t.getMessage();
    if (message.contains("not an SSL/TLS record")) {
      return "the target does not speak TLS";
    }
    if (message.contains("PKIX") || message.contains("unable to find valid certification path")) {
      return "its certificate is not trusted";
    }
    if (message.contains("No subject alternative") || message.contains("No name matching")) {
      return "its certificate does not match the host name";
    }
    return message.isEmpty() ? t.getClass().getSimpleName() : message;
  }
}
