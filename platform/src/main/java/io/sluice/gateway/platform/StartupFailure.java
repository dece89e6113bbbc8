// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

/**
 * The gateway cannot start for a reason the user can fix, said in one line ({@code port 8080 (server.port) is
 * already in use}): the launcher prints the message alone, without a stack trace.
 */
final class StartupFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public StartupFailure(String message) {
    super(message, null, false, false);
  }
}
