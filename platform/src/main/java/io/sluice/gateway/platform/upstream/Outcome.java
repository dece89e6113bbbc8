// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.upstream;

/** How one attempt against a target ended, as far as health, breakers and balancing are concerned. */
public enum Outcome {
  /** A response head below 500. */
  SUCCESS,
  /** A 5xx response head. */
  SERVER_ERROR,
  /** The connection could not be opened (refused, unreachable, connect timeout, TLS handshake). */
  CONNECT_FAILURE,
  /** The connection closed or was reset before the response head. */
  RESET,
  /** No response head within the response timeout. */
  TIMEOUT,
  /** The gateway gave up on the attempt for its own reasons (client gone, total timeout): not counted. */
  CANCELLED;

  /** Whether the outcome counts against the target. */
  public boolean failure() {
    return this != SUCCESS && this != CANCELLED;
  }
}
