// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.proxy;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import io.sluice.gateway.platform.upstream.Outcome;
import java.net.ConnectException;
import javax.net.ssl.SSLException;
import java.util.concurrent.TimeoutException;

/**
 * The one place where a failure talking to an upstream becomes a status and an error key, and an
 * {@link Outcome} for health and retries: refused or reset connections are 502 {@code UPSTREAM_UNAVAILABLE},
 * timeouts 504 {@code UPSTREAM_TIMEOUT}, no available target 503 {@code NO_HEALTHY_UPSTREAM}.
 *
 * @param retryAfterSeconds the {@code Retry-After} to send, 0 for none
 */
record UpstreamFailure(int status, String key, String detail, long retryAfterSeconds) {

  UpstreamFailure(int status, String key, String detail) {
    this(status, key, detail, 0);
  }

  static UpstreamFailure noHealthyTarget(String upstream, long retryAfterSeconds) {
    return new UpstreamFailure(503, "NO_HEALTHY_UPSTREAM",
        "no target of upstream '" + upstream + "' is available", retryAfterSeconds);
  }

  static UpstreamFailure bodyTooLarge(long limit) {
    return new UpstreamFailure(413, "BODY_TOO_LARGE", "the request body is larger than " + limit + " bytes");
  }

  /** How a failure to get a response head counts for the target. */
  static Outcome outcome(Throwable t, boolean connecting) {
    if (t instanceof TimeoutException && !(t instanceof ConnectTimeoutException)) {
      return connecting ? Outcome.CONNECT_FAILURE : Outcome.TIMEOUT;
    }
    return connecting ? Outcome.CONNECT_FAILURE : Outcome.RESET;
  }

  static UpstreamFailure classify(Throwable t) {
    if (t instanceof InterimResponse) {
      return new UpstreamFailure(502, "UPSTREAM_INVALID_RESPONSE", t.getMessage());
    }
    if (t instanceof SSLException) {
      return new UpstreamFailure(502, "UPSTREAM_UNAVAILABLE", "the TLS handshake with the upstream failed");
    }
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

  /**
   * The upstream answered with an interim (1xx) status that Vert.x's client hands on as the final response (it
   * handles only 100 and 103 as interim: 102 Processing, 104 and up, and a 101 nobody asked for, end the
   * exchange there, and the final response that follows is dropped).
   */
  static final class InterimResponse extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InterimResponse(int status) {
      super("the upstream sent an interim response (" + status + ") where its answer should be", null, false, false);
    }
  }
}
