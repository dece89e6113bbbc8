// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api.auth;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Brings a shared future's outcome back to the caller's event loop. An authentication policy often shares one
 * remote call among the requests of every event loop (one JWKS fetch, one introspection call per token), but
 * the call completes on the loop that started it, and an exchange must only be touched on its own loop.
 *
 * <pre>{@code
 * Future<Answer> shared = inFlight.computeIfAbsent(key, k -> call(k)); // any loop's
 * return CallerContext.resume(shared).compose(answer -> decide(exchange, chain, answer)); // this loop's
 * }</pre>
 */
public final class CallerContext {

  private CallerContext() {}

  /**
   * {@code shared} itself when it is already complete or when not called on a Vert.x context; otherwise a
   * future completed with its outcome on the calling context.
   */
  public static <T> Future<T> resume(Future<T> shared) {
    Context caller = Vertx.currentContext();
    if (caller == null || shared.isComplete()) {
      return shared;
    }
    Promise<T> local = Promise.promise();
    shared.onComplete(result -> {
      if (Vertx.currentContext() == caller) {
        local.handle(result);
      } else {
        caller.runOnContext(v -> local.handle(result));
      }
    });
    return local.future();
  }
}
