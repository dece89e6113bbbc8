// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.script;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.jspecify.annotations.Nullable;

/**
 * Bridges Vert.x futures and JavaScript promises in one script context. A JS promise is settled on the event
 * loop that owns the context (a context is single-threaded), under the script's time limit; GraalJS runs the
 * promise's continuations before that call returns.
 *
 * <p>Each call of a script function is a {@link Call}: the promises it creates remember it, so that when a
 * continuation runs past the time limit and is interrupted, that call's request fails with
 * {@link ScriptTimeout} at once (and not only when the policy time limit ends it).
 */
final class ScriptPromises {

  /** One call of {@code onRequest} or {@code onResponse}, and the future its request awaits. */
  static final class Call {
    private final Promise<Void> done = Promise.promise();

    Future<Void> future() {
      return done.future();
    }

    void interrupted() {
      done.tryFail(new ScriptTimeout());
    }
  }

  private final Value newPromise;
  private ScriptInstance instance;
  private ScriptEngine engine;
  private long timeoutNanos;
  private @Nullable Call current;

  /** @param newPromise a JS function {@code (executor) => new Promise(executor)} evaluated in the context */
  ScriptPromises(Value newPromise) {
    this.newPromise = newPromise;
  }

  void bind(ScriptInstance instance, ScriptEngine engine, long timeoutNanos) {
    this.instance = instance;
    this.engine = engine;
    this.timeoutNanos = timeoutNanos;
  }

  /** Starts a call of a script function: promises created until {@link #endCall} belong to it. */
  Call beginCall() {
    Call call = new Call();
    current = call;
    return call;
  }

  void endCall() {
    current = null;
  }

  /** A JS promise settled by {@code future}. */
  Value of(Future<?> future) {
    Context owner = Vertx.currentContext();
    Call call = current;
    Value[] settle = new Value[2];
    Value promise = newPromise.execute((ProxyExecutable) args -> {
      settle[0] = args[0];
      settle[1] = args[1];
      return null;
    });
    future.onComplete(ar -> {
      Runnable settleIt = () -> settle(call, ar.succeeded() ? settle[0] : settle[1],
          ar.succeeded() ? ar.result() : String.valueOf(ar.cause().getMessage()));
      if (owner == null || Vertx.currentContext() == owner) {
        settleIt.run();
      } else {
        owner.runOnContext(v -> settleIt.run());
      }
    });
    return promise;
  }

  /** Settles a JS promise; its continuations run now, under the time limit. */
  private void settle(@Nullable Call call, Value function, @Nullable Object value) {
    boolean outermost = instance.deadline == 0;
    if (outermost) {
      engine.started(instance, timeoutNanos);
    }
    try {
      function.executeVoid(value instanceof Number || value instanceof String || value instanceof Boolean ? value
          : value == null ? null : value.toString());
    } catch (PolyglotException e) {
      // A continuation ran past the limit (or broke the engine): its async function will never settle.
      if (call != null) {
        call.interrupted();
      }
    } finally {
      if (outermost) {
        engine.finished(instance);
      }
    }
  }

  /** Whether a script function's result is a promise (a thenable) to await. */
  static boolean isPromise(@Nullable Value result) {
    return result != null && !result.isNull() && result.hasMember("then");
  }

  /**
   * A Vert.x future for a value a script function returned in {@code call}: done at once, or the outcome of a
   * JS promise (or {@link ScriptTimeout} when a continuation is interrupted).
   */
  static Future<Void> await(@Nullable Value result, Call call) {
    if (!isPromise(result)) {
      return Future.succeededFuture();
    }
    Promise<Void> done = call.done;
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

  /** A continuation of a script's promise ran past the time limit and was interrupted. */
  static final class ScriptTimeout extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ScriptTimeout() {
      super("interrupted", null, false, false);
    }
  }

  /** A script's promise was rejected (or its async function threw). */
  static final class ScriptRejection extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ScriptRejection(@Nullable Value reason) {
      super(reason == null ? "rejected" : reason.toString(), null, false, false);
    }
  }
}
