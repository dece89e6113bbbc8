// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.route;

/**
 * A request path that the gateway refuses before routing (400). Stackless: it describes bad input, not a bug.
 */
public final class InvalidPathException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String key;

  InvalidPathException(String key, String message) {
    super(message, null, false, false);
    this.key = key;
  }

  /** The stable error key: {@code PATH_INVALID} or {@code PATH_ESCAPED_SLASH}. */
  public String key() {
    return key;
  }
}
