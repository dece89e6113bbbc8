// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.proxy;

/** A streamed request body grew past the route's limit. Stackless: bad input, not a bug. */
final class BodyTooLargeException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  BodyTooLargeException(long limit) {
    super("the request body is larger than " + limit + " bytes", null, false, false);
  }
}
