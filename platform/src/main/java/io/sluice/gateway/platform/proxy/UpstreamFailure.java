// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.proxy;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/**
 * The one place where a failure talking to an upstream becomes a status and an error key: refused or reset
 * connections are 502 {@code UPSTREAM_UNAVAILABLE}, timeouts 504 {@code UPSTREAM_TIMEOUT}.
 */
record UpstreamFailure(int status, String key, String detail) {

  static UpstreamFailure classify(Throwable t) {
    if (t instanceof ConnectTimeoutException) {
      return new UpstreamFailure(504, "UPSTREAM_TIMEOUT", "timed out connecting to the upstream");
    }
    if (t instanceof TimeoutException) {
      return new UpstreamFailure(504, "UPSTREAM_TIMEOUT", "the upstream did not answer in time");
    }
    if (t instanceof ConnectException) {
      return new UpstreamFailure(502, "UPSTREAM_UNAVAILABLE", "the upstream refused the connection");
    }
    if (t instanceof HttpClosedException || t instanceof StreamResetException) {
      return new UpstreamFailure(502, "UPSTREAM_UNAVAILABLE", "the upstream closed the connection");
    }
    return new UpstreamFailure(502, "UPSTREAM_UNAVAILABLE", "the upstream could not be reached");
  }
}
