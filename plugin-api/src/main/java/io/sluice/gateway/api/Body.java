// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * A request or response body. Bodies stream through the gateway by default, with back-pressure; a policy
 * that needs the whole body asks for it with {@link #buffer(long)}, up to a size it names, and may then
 * replace it.
 */
public interface Body {

  /** The declared length ({@code Content-Length}), or -1 when unknown (chunked). */
  long length();

  /**
   * Reads the whole body into memory. Later calls return the same buffer.
   *
   * @param maxBytes the most the policy is prepared to hold; a larger body fails the future with
   *     {@link BodyTooLargeException}, which the gateway answers with 413 {@code BODY_TOO_LARGE}
   */
  Future<Buffer> buffer(long maxBytes);

  /**
   * Caps a streamed body: once more than {@code maxBytes} have arrived the upstream call is aborted and the
   * client gets 413 {@code BODY_TOO_LARGE}, without the gateway holding the body. Check {@link #length()}
   * first to refuse a declared oversize body before it is read. The smallest cap set wins.
   */
  void limit(long maxBytes);

  /** Replaces the body; the gateway sets {@code Content-Length} accordingly. */
  void set(Buffer body);
}
