// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api;

/**
 * Why a {@link RouteUpstream} request got no response: {@link #key()} is the stable key the gateway would answer a
 * client with ({@code UPSTREAM_UNAVAILABLE}, {@code UPSTREAM_TIMEOUT}, {@code NO_HEALTHY_UPSTREAM}), or one of the
 * seam's own ({@code UPSTREAM_BODY_TOO_LARGE}, {@code UPSTREAM_PATH_INVALID}, {@code UPSTREAM_UNSUPPORTED}). An
 * expected outcome of a call to the network: no stack trace is filled in.
 */
public final class UpstreamUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String key;

  public UpstreamUnavailableException(String key, String message) {
    super(message, null, false, false);
    this.key = key;
  }

  /** The stable UPPER_SNAKE key of the failure. */
  public String key() {
    return key;
  }
}
