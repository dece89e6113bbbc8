// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.script;

import io.sluice.gateway.api.Exchange;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.Rejection;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JavaScript policy: {@code onRequest(exchange)} before proceeding, {@code onResponse(exchange)} on the way
 * back. Each event loop uses its own context (a context is single-threaded), taken from a pool prepared at
 * load time so that no event loop ever waits for a context to be built. A call running longer than the limit
 * is interrupted (the context stays usable) and answered 500 {@code SCRIPT_TIMEOUT}; a thrown error is 500
 * {@code SCRIPT_ERROR}, logged once with file:line:column.
 */
final class ScriptPolicy implements Policy, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ScriptPolicy.class);

  private final String file;
  /**
   * The least time limit of the first call of each function in each context: GraalJS parses a function and
   * specialises its nodes on its first call (a few milliseconds once the engine is warm, but several times
   * that on a loaded machine, against a 50 ms default limit); every later call gets the configured limit.
   */
  static final long FIRST_CALL_ALLOWANCE_NANOS = 250_000_000L;

  /** Marks "rejected downstream: skip onResponse" in the response-phase composition. */

  private final long timeoutMillis;
  private final long timeoutNanos;
  private final long maxBody;
  private final ScriptEngine engine;
  private final Supplier<ScriptInstance> factory;
  private final ConcurrentLinkedQueue<ScriptInstance> spare = new ConcurrentLinkedQueue<>();
  private final List<ScriptInstance> all = new CopyOnWriteArrayList<>();
  private final ThreadLocal<ScriptInstance> bound = new ThreadLocal<>();
  private volatile boolean closed;

  ScriptPolicy(
      String file, Duration timeout, long maxBody, ScriptEngine engine, Supplier<ScriptInstance> factory, int prepared) {
    this.file = file;
    this.maxBody = maxBody;
    this.timeoutMillis = timeout.toMillis();
    this.timeoutNanos = timeout.toNanos();
    this.engine = engine;
    this.factory = factory;
    for (int i = 0; i < prepared; i++) {
      ScriptInstance instance = factory.get();
      spare.add(instance);
      all.add(instance);
    }
  }

  private ScriptInstance instance() {
    ScriptInstance s = bound.get();
    if (s == null) {
      s = spare.poll();
      if (s == null) {
        s = factory.get();
        all.add(s);
      }
      bound.set(s);
    }
    return s;
  }

  @Override
  public Future<Void> apply(Exchange exchange, Chain chain) {
    ScriptInstance s = instance();
    if (s.onRequest == null) {
      return respond(s, exchange, chain);
    }
    if (maxBody < 0) {
      return request(s, exchange, chain, null);
    }
    return exchange.request().body().buffer(maxBody).compose(body -> request(s, exchange, chain, body));
  }

  private Future<Void> request(ScriptInstance s, Exchange exchange, Chain chain, io.vertx.core.buffer.@Nullable Buffer body) {
    Object outcome = invoke(s, s.onRequest, exchange, false, body);
    if (outcome instanceof Future<?> pending) {
      return outcomeOf(pending).compose(failure -> afterRequest(s, exchange, chain, failure));
    }
    return afterRequest(s, exchange, chain, (Rejection) outcome);
  }

  private Future<Void> afterRequest(ScriptInstance s, Exchange exchange, Chain chain, @Nullable Rejection failure) {
    if (failure != null) {
      return exchange.reject(failure);
    }
    // The script refused the request itself: nothing goes upstream, so there is nothing to proceed to.
    return exchange.rejected() ? Future.succeededFuture() : respond(s, exchange, chain);
  }

  /**
   * Proceeds, then runs {@code onResponse} only when there is a response: the upstream's, or one a later policy
   * answered with. A rejection (by a later policy) skips it, as Kong skips later phases after an exit: the
   * platform renders the rejection and the script has no response to act on.
   */
  private Future<Void> respond(ScriptInstance s, Exchange exchange, Chain chain) {
    if (s.onResponse == null) {
      return chain.proceed();
    }
    return chain.proceed().compose(v -> {
      if (exchange.rejected()) {
        return Future.succeededFuture();
      }
      if (maxBody < 0) {
        return afterResponse(s, exchange, null);
      }
      return exchange.response().body().buffer(maxBody).compose(body -> afterResponse(s, exchange, body));
    });
  }

  private Future<Void> afterResponse(ScriptInstance s, Exchange exchange, io.vertx.core.buffer.@Nullable Buffer body) {
    Object outcome = invoke(s, s.onResponse, exchange, true, body);
    if (outcome instanceof Future<?> pending) {
      return outcomeOf(pending)
          .compose(failure -> failure == null ? Future.succeededFuture() : exchange.reject(failure));
    }
    return outcome == null ? Future.succeededFuture() : exchange.reject((Rejection) outcome);
  }

  @SuppressWarnings("unchecked")
  private static Future<@Nullable Rejection> outcomeOf(Future<?> pending) {
    return (Future<@Nullable Rejection>) pending;
  }

  /**
   * Runs one script function under the time limit. A plain function's outcome is there at once, without a
   * future (the common case: no allocation for the continuation): null on success, its {@link Rejection} on a
   * failure. An async function's promise is awaited: then a {@code Future} of either.
   */
  private @Nullable Object invoke(
      ScriptInstance s, Value function, Exchange exchange, boolean responsePhase, io.vertx.core.buffer.@Nullable Buffer body) {
    Value result;
    engine.started(s, s.firstCall(function) ? Math.max(timeoutNanos, FIRST_CALL_ALLOWANCE_NANOS) : timeoutNanos);
    ScriptPromises.Call call = s.promises.beginCall();
    try {
      result = function.execute(JsApi.exchange(exchange, responsePhase, body));
    } catch (PolyglotException e) {
      return failure(e, exchange);
    } finally {
      s.promises.endCall();
      engine.finished(s);
    }
    if (!ScriptPromises.isPromise(result)) {
      return null;
    }
    return ScriptPromises.await(result, call).transform(ar -> {
      if (ar.succeeded()) {
        return Future.succeededFuture(null);
      }
      if (ar.cause() instanceof ScriptPromises.ScriptTimeout) {
        return Future.succeededFuture(timedOut(exchange, " after an await"));
      }
      log.error("request {} route {}: script {} rejected its promise: {}", exchange.id(), exchange.routeId(), file,
          ar.cause().getMessage());
      return Future.succeededFuture(Rejection.of(500, "SCRIPT_ERROR").message("the route's script failed"));
    });
  }

  private Rejection failure(PolyglotException e, Exchange exchange) {
    if (e.isInterrupted() || e.isCancelled()) {
      return timedOut(exchange, "");
    }
    log.error("request {} route {}: script error at {}", exchange.id(), exchange.routeId(), ScriptInstance.describe(e, file));
    return Rejection.of(500, "SCRIPT_ERROR").message("the route's script failed");
  }

  /** A call (or, {@code where}, a continuation of it) interrupted by the time limit. */
  private Rejection timedOut(Exchange exchange, String where) {
    log.error("request {} route {}: script {} ran longer than {}ms{} and was interrupted",
        exchange.id(), exchange.routeId(), file, timeoutMillis, where);
    return Rejection.of(500, "SCRIPT_TIMEOUT").message("the route's script took too long");
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (ScriptInstance s : all) {
      try {
        s.close();
      } catch (RuntimeException e) {
        log.debug("script {}: context close failed: {}", file, e.toString());
      }
    }
  }
}
