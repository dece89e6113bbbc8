// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.script;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.io.IOAccess;

/**
 * The one GraalJS {@link Engine} of the gateway (compiled code and parsed sources are shared by all its
 * contexts) and the watchdog thread that interrupts scripts running past their time limit.
 *
 * <p>Every context is a sandbox: no host access (no {@code Java.type}, no Java objects but our proxies), no
 * I/O, no threads, no processes, no native access, no environment, no other languages.
 */
public final class ScriptEngine implements AutoCloseable {

  private static final long TICK_MILLIS = 2;

  private final Engine engine;
  private final Set<ScriptInstance> running = ConcurrentHashMap.newKeySet();
  private final Thread watchdog;
  private volatile boolean closed;

  public ScriptEngine() {
    this.engine = Engine.newBuilder("js")
        .option("engine.WarnInterpreterOnly", "false")
        .build();
    this.watchdog = new Thread(this::watch, "sluice-script-watchdog");
    this.watchdog.setDaemon(true);
    this.watchdog.start();
    warmUp();
  }

  /**
   * Exercises the builtins policies commonly use (warm-up.js) in a throwaway context, so that the engine sets
   * them up here rather than inside the first requests' time limits. Blocking; runs where the engine is made.
   */
  private void warmUp() {
    try (var in = ScriptEngine.class.getResourceAsStream("warm-up.js");
        Context context = newContext()) {
      if (in == null) {
        return;
      }
      String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      context.eval(org.graalvm.polyglot.Source.newBuilder("js", text, "warm-up.js").build()).execute(3);
    } catch (java.io.IOException | RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(ScriptEngine.class).debug("script engine warm-up failed: {}", e.toString());
    }
  }

  /**
   * Interrupts calls past their deadline. A tick every 2 ms over the instances that are running a call right
   * now: a call costs two volatile writes and a set update, not a scheduled task.
   */
  private void watch() {
    while (!closed) {
      try {
        Thread.sleep(TICK_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      long now = System.nanoTime();
      for (ScriptInstance s : running) {
        long deadline = s.deadline;
        // Re-read just before interrupting: the call may have ended (and a new one begun, with a new deadline).
        if (deadline != 0 && now - deadline > 0 && s.deadline == deadline) {
          try {
            s.context.interrupt(Duration.ofSeconds(1));
          } catch (java.util.concurrent.TimeoutException | RuntimeException e) {
            // the call ended meanwhile, or the context is closing: nothing to stop
          }
        }
      }
    }
  }

  void started(ScriptInstance instance, long timeoutNanos) {
    instance.deadline = System.nanoTime() + timeoutNanos;
    running.add(instance);
  }

  void finished(ScriptInstance instance) {
    instance.deadline = 0;
    running.remove(instance);
  }

  /** A sandboxed context on the shared engine. */
  Context newContext() {
    return Context.newBuilder("js")
        .engine(engine)
        .allowHostAccess(HostAccess.NONE)
        .allowHostClassLookup(name -> false)
        .allowHostClassLoading(false)
        .allowIO(IOAccess.NONE)
        .allowCreateThread(false)
        .allowCreateProcess(false)
        .allowNativeAccess(false)
        .allowPolyglotAccess(PolyglotAccess.NONE)
        .allowEnvironmentAccess(org.graalvm.polyglot.EnvironmentAccess.NONE)
        .option("js.ecmascript-version", "2022")
        .build();
  }

  /** "GraalVM CE" with the Graal JIT (JDK 25 launch), "Interpreted" without. */
  public String implementation() {
    return engine.getImplementationName();
  }

  @Override
  public void close() {
    closed = true;
    watchdog.interrupt();
    engine.close(true);
  }
}
