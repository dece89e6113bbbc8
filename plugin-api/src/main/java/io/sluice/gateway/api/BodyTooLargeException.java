// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api;

/** A body asked for with {@link Body#buffer(long)} was larger than the limit. Answered with 413 {@code BODY_TOO_LARGE}. */
public final class BodyTooLargeException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final long limit;

  public BodyTooLargeException(long limit) {
    super("the body is larger than " + limit + " bytes", null, false, false);
    this.limit = limit;
  }

  public long limit() {
    return limit;
  }
}
