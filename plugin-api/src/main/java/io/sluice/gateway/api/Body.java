// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import org.jspecify.annotations.Nullable;

/**
 * A request or response body. Bodies stream through the gateway by default, with back-pressure; a policy
 * that needs the whole body asks for it with {@link #buffer(long)}, up to a size it names, and may then
 * replace it.
 *
 * <p>Confined to the exchange's event loop: call it from {@link Policy#apply} and the callbacks of futures
 * composed there. Nothing here blocks; reading is asynchronous and its future completes on that event loop.
 *
 * <pre>{@code
 * return exchange.request().body().buffer(64 * 1024).compose(json -> {
 *   exchange.request().body().set(redact(json));
 *   return chain.proceed();
 * });
 * }</pre>
 */
public interface Body {

  /**
   * The declared length ({@code Content-Length}), or -1 when unknown (chunked). After {@link #set(Buffer)},
   * the replacement's length.
   */
  long length();

  /**
   * Reads the whole body into memory. Later calls return the same buffer (a body is read once). Reading a
   * request body before {@link Policy.Chain#proceed()} holds it in the gateway; the upstream then receives the
   * buffered bytes.
   *
   * @param maxBytes the most the policy is prepared to hold; a larger body fails the future with
   *     {@link BodyTooLargeException}, which the gateway answers with 413 {@code BODY_TOO_LARGE}
   * @return completes on the exchange's event loop with the body; fails with {@link BodyTooLargeException}
   *     above {@code maxBytes}, or with the connection's error when the client (or upstream) goes away
   *     mid-body — a failure the policy should return as it is, since the exchange is over
   */
  Future<Buffer> buffer(long maxBytes);

  /**
   * Caps a streamed body: once more than {@code maxBytes} have arrived the upstream call is aborted and the
   * client gets 413 {@code BODY_TOO_LARGE}, without the gateway holding the body. Check {@link #length()}
   * first to refuse a declared oversize body before it is read. The smallest cap set wins.
   */
  void limit(long maxBytes);

  /**
   * Keeps a copy of the body as it streams on, without holding it up or changing what is sent: what a cache
   * stores while the client receives the response. Unlike {@link #buffer(long)}, a body larger than
   * {@code maxBytes} is not refused: the copy is dropped as soon as it outgrows the cap and the body goes on
   * streaming untouched, so the gateway never holds more than {@code maxBytes} for it. Call it before the body
   * moves (for a response, when {@link Policy.Chain#proceed()} has completed); later calls return the same
   * future, whatever their cap. A body that a policy read whole or replaced is copied from that buffer.
   *
   * @param maxBytes the most the copy may hold
   * @return completes on the exchange's event loop once the body has passed: with the copy when the whole body
   *     passed within {@code maxBytes}; with null when it outgrew the cap, broke off before its end (the client or
   *     upstream went away), or was never sent (the exchange was rejected or answered otherwise). Never fails.
   */
  Future<@Nullable Buffer> copy(long maxBytes);

  /**
   * Replaces the body; the gateway sets {@code Content-Length} accordingly. The buffer is not copied: do not
   * change it afterwards.
   */
  void set(Buffer body);
}
