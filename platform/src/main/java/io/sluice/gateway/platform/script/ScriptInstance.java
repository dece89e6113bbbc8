// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.script;

import io.sluice.gateway.api.cluster.ClusterServices;
import io.sluice.gateway.api.config.ConfigException;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;
import org.jspecify.annotations.Nullable;

/** One script evaluated in its own sandboxed context; used by one event loop at a time. */
final class ScriptInstance implements AutoCloseable {

  final Context context;
  final @Nullable Value onRequest;
  final @Nullable Value onResponse;
  final ScriptPromises promises;
  /** When the running call must stop ({@link System#nanoTime()}), 0 when idle. Written by the event loop. */
  volatile long deadline;
  private boolean onRequestCalled;
  private boolean onResponseCalled;

  private ScriptInstance(
      Context context, @Nullable Value onRequest, @Nullable Value onResponse, ScriptPromises promises) {
    this.context = context;
    this.promises = promises;
    this.onRequest = onRequest;
    this.onResponse = onResponse;
  }

  /**
   * Evaluates {@code source} with {@code config} (JSON text) and {@code log} bound as globals. Blocking.
   *
   * @throws ConfigException (path {@code file}) for a syntax error, with file:line:column
   */
  static ScriptInstance create(
      ScriptEngine engine, Source source, String configJson, Object log, ClusterServices cluster, long timeoutNanos) {
    Context context = engine.newContext();
    try {
      Value bindings = context.getBindings("js");
      bindings.putMember("config", context.eval("js", "JSON.parse").execute(configJson));
      bindings.putMember("log", log);
      ScriptPromises promises = new ScriptPromises(context.eval("js", "(executor) => new Promise(executor)"));
      bindings.putMember("cluster", new JsCluster(cluster, source.getName(), promises));
      context.eval(source);
      Value onRequest = function(bindings, "onRequest");
      Value onResponse = function(bindings, "onResponse");
      if (onRequest == null && onResponse == null) {
        throw new ConfigException("file", "'" + source.getName() + "' defines neither onRequest(exchange) nor onResponse(exchange)");
      }
      warmUp(context);
      ScriptInstance instance = new ScriptInstance(context, onRequest, onResponse, promises);
      promises.bind(instance, engine, timeoutNanos);
      return instance;
    } catch (PolyglotException e) {
      context.close(true);
      throw new ConfigException("file", describe(e, source.getName()));
    } catch (RuntimeException e) {
      context.close(true);
      throw e;
    }
  }

  /**
   * Runs the proxy interop paths scripts use (member reads, function calls) once, here on the loading thread,
   * so that their one-time initialisation is not charged to the first request's time limit.
   */
  private static void warmUp(Context context) {
    Object probe = new JsApi.ReadOnly("name", "call") {
      @Override
      public @Nullable Object getMember(String key) {
        return key.equals("name") ? "warm-up" : (org.graalvm.polyglot.proxy.ProxyExecutable) args -> JsApi.string(args, 0);
      }
    };
    context.eval("js", "(o) => o.call(o.name).length").execute(probe);
  }

  private static @Nullable Value function(Value bindings, String name) {
    Value v = bindings.getMember(name);
    return v != null && v.canExecute() ? v : null;
  }

  /** Whether this is the first call of {@code function} in this context (and records that it no longer is). */
  boolean firstCall(Value function) {
    if (function == onRequest && !onRequestCalled) {
      onRequestCalled = true;
      return true;
    }
    if (function == onResponse && !onResponseCalled) {
      onResponseCalled = true;
      return true;
    }
    return false;
  }

  /** {@code file.js:3:7: SyntaxError: ...} */
  static String describe(PolyglotException e, String file) {
    SourceSection at = location(e);
    String where = at == null ? file : file + ":" + at.getStartLine() + ":" + at.getStartColumn();
    return where + ": " + e.getMessage();
  }

  /**
   * Where the error happened: the exception's own location (syntax errors), else the innermost script frame
   * of its stack (a {@code throw} or a failed call carries no location of its own), else null.
   */
  private static @Nullable SourceSection location(PolyglotException e) {
    SourceSection own = e.getSourceLocation();
    if (own != null && own.isAvailable()) {
      return own;
    }
    for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
      SourceSection at = frame.getSourceLocation();
      if (frame.isGuestFrame() && at != null && at.isAvailable()) {
        return at;
      }
    }
    return null;
  }

  @Override
  public void close() {
    context.close(true);
  }
}
