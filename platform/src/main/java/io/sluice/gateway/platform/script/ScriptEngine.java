// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.script;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
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

  /** How long the watchdog sleeps before any call has started (the first call, with a shorter limit, wakes it). */
  private static final long IDLE_NANOS = TimeUnit.MINUTES.toNanos(1);
  /** The shortest sleep, however short a limit: keeps a flood of tiny limits from spinning the watchdog. */
  private static final long MIN_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final Engine engine;
  private final Set<ScriptInstance> running = ConcurrentHashMap.newKeySet();
  private final Thread watchdog;
  /** The shortest time limit a call has had: no call that starts after a scan can expire sooner than this. */
  private final AtomicLong shortestLimitNanos = new AtomicLong(IDLE_NANOS);
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
   * Interrupts calls past their deadline. A call costs two volatile writes and a set update, not a scheduled
   * task. The watchdog scans the instances running a call right now, then sleeps until the earliest deadline
   * among them, or for the shortest limit any call has had (a call that starts meanwhile cannot expire
   * sooner): with calls of microseconds and limits of tens of milliseconds it wakes a few dozen times a
   * second, not hundreds (every wake-up of a sleeping thread costs CPU, in a VM more).
   */
  private void watch() {
    while (!closed) {
      long now = System.nanoTime();
      long wake = now + shortestLimitNanos.get();
      for (ScriptInstance s : running) {
        long deadline = s.deadline;
        if (deadline == 0) {
          continue;
        }
        // Re-read just before interrupting: the call may have ended (and a new one begun, with a new deadline).
        if (now - deadline > 0) {
          if (s.deadline == deadline) {
            interrupt(s);
          }
        } else if (deadline - wake < 0) {
          wake = deadline;
        }
      }
      LockSupport.parkNanos(this, Math.max(wake - now, MIN_SLEEP_NANOS));
    }
  }

  private static void interrupt(ScriptInstance s) {
    try {
      s.context.interrupt(Duration.ofSeconds(1));
    } catch (java.util.concurrent.TimeoutException | RuntimeException e) {
      // the call ended meanwhile, or the context is closing: nothing to stop
    }
  }

  void started(ScriptInstance instance, long timeoutNanos) {
    instance.deadline = System.nanoTime() + timeoutNanos;
    running.add(instance);
    if (timeoutNanos < shortestLimitNanos.get()) {
      // A limit shorter than any before: the watchdog may be asleep for longer than this call may run.
      shortestLimitNanos.accumulateAndGet(timeoutNanos, Math::min);
      LockSupport.unpark(watchdog);
    }
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
    LockSupport.unpark(watchdog);
    engine.close(true);
  }
}
