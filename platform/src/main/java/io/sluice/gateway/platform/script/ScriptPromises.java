// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.script;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.jspecify.annotations.Nullable;

/**
 * Bridges Vert.x futures and JavaScript promises in one script context. A JS promise is settled on the event
 * loop that owns the context (a context is single-threaded), under the script's time limit; GraalJS runs the
 * promise's continuations before that call returns.
 */
final class ScriptPromises {

  private final Value newPromise;
  private ScriptInstance instance;
  private ScriptEngine engine;
  private long timeoutNanos;

  /** @param newPromise a JS function {@code (executor) => new Promise(executor)} evaluated in the context */
  ScriptPromises(Value newPromise) {
    this.newPromise = newPromise;
  }

  void bind(ScriptInstance instance, ScriptEngine engine, long timeoutNanos) {
    this.instance = instance;
    this.engine = engine;
    this.timeoutNanos = timeoutNanos;
  }

  /** A JS promise settled by {@code future}. */
  Value of(Future<?> future) {
    Context owner = Vertx.currentContext();
    Value[] settle = new Value[2];
    Value promise = newPromise.execute((ProxyExecutable) args -> {
      settle[0] = args[0];
      settle[1] = args[1];
      return null;
    });
    future.onComplete(ar -> {
      Runnable settleIt = () -> settle(ar.succeeded() ? settle[0] : settle[1],
          ar.succeeded() ? ar.result() : String.valueOf(ar.cause().getMessage()));
      if (owner == null || Vertx.currentContext() == owner) {
        settleIt.run();
      } else {
        owner.runOnContext(v -> settleIt.run());
      }
    });
    return promise;
  }

  private void settle(Value function, @Nullable Object value) {
    boolean outermost = instance.deadline == 0;
    if (outermost) {
      engine.started(instance, timeoutNanos);
    }
    try {
      function.executeVoid(value instanceof Number || value instanceof String || value instanceof Boolean ? value
          : value == null ? null : value.toString());
    } finally {
      if (outermost) {
        engine.finished(instance);
      }
    }
  }

  /** A Vert.x future for a value a script function returned: itself, or the outcome of a JS promise. */
  static Future<Void> await(@Nullable Value result) {
    if (result == null || result.isNull() || !result.hasMember("then")) {
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    result.invokeMember("then",
        (ProxyExecutable) args -> {
          done.tryComplete();
          return null;
        },
        (ProxyExecutable) args -> {
          done.tryFail(new ScriptRejection(args.length > 0 ? args[0] : null));
          return null;
        });
    return done.future();
  }

  /** A script's promise was rejected (or its async function threw). */
  static final class ScriptRejection extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ScriptRejection(@Nullable Value reason) {
      super(reason == null ? "rejected" : reason.toString(), null, false, false);
    }
  }
}
