// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.jwt;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Brings a shared future's outcome back to the caller's event loop. One JWKS fetch serves waiters on every
 * event loop, but it completes on the loop that started it; an exchange must only be touched on its own.
 */
final class ContextHop {

  private ContextHop() {}

  static <T> Future<T> here(Future<T> shared) {
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
