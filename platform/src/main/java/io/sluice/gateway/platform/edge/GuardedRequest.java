// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.edge;

import io.vertx.core.Handler;
import org.jspecify.annotations.Nullable;

/**
 * What the HTTP/1 edge decided about one request head, handed to the exchange that Vert.x then delivers for
 * it (in the same order): either a refusal, or the body's length as the edge computed it. The exchange uses
 * that length and never the client's framing headers.
 */
public final class GuardedRequest {

  /** {@link #bodyLength()} of a chunked body. */
  public static final long CHUNKED = -1;

  private final long bodyLength;
  private final @Nullable Refusal refusal;
  private final String method;
  private final String target;
  private @Nullable Refusal bodyError;
  private @Nullable Handler<Refusal> bodyErrorHandler;

  private GuardedRequest(long bodyLength, @Nullable Refusal refusal, String method, String target) {
    this.bodyLength = bodyLength;
    this.refusal = refusal;
    this.method = method;
    this.target = target;
  }

  /** Every request without a body shares one: it holds no per-request state. */
  private static final GuardedRequest NO_BODY = new GuardedRequest(0, null, "", "");

  static GuardedRequest accepted(long bodyLength) {
    return bodyLength == 0 ? NO_BODY : new GuardedRequest(bodyLength, null, "", "");
  }

  static GuardedRequest refused(Refusal refusal, String method, String target) {
    return new GuardedRequest(0, refusal, method, target);
  }

  /** The body length: 0 for none, {@link #CHUNKED} for a chunked body. */
  public long bodyLength() {
    return bodyLength;
  }

  /** Why the head was refused, or null when it was accepted. */
  public @Nullable Refusal refusal() {
    return refusal;
  }

  /** The refused request's method as far as it could be read (for the access log); empty when accepted. */
  public String method() {
    return method;
  }

  /** The refused request's target as far as it could be read (printable ASCII, shortened). */
  public String target() {
    return target;
  }

  /**
   * Called, on the connection's event loop, when the body turns out to be malformed (an invalid chunk): the
   * rest of the body will never arrive. Null unregisters (the exchange is over); the edge then closes the
   * connection itself.
   */
  public void onBodyError(@Nullable Handler<Refusal> handler) {
    if (bodyLength == 0) {
      return; // no body, no body error (and the shared instance stays untouched)
    }
    bodyErrorHandler = handler;
    Refusal error = bodyError;
    if (handler != null && error != null) {
      handler.handle(error);
    }
  }

  /** @return whether an exchange took the error (otherwise the caller closes the connection) */
  boolean bodyFailed(Refusal error) {
    bodyError = error;
    Handler<Refusal> h = bodyErrorHandler;
    if (h == null) {
      return false;
    }
    h.handle(error);
    return true;
  }
}
