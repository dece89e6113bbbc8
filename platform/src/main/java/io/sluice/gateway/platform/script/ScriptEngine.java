// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.script;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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

  private final Engine engine;
  private final ScheduledExecutorService watchdog;

  public ScriptEngine() {
    this.engine = Engine.newBuilder("js")
        .option("engine.WarnInterpreterOnly", "false")
        .build();
    this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sluice-script-watchdog");
      t.setDaemon(true);
      return t;
    });
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

  ScheduledExecutorService watchdog() {
    return watchdog;
  }

  /** "GraalVM CE" with the Graal JIT (JDK 25 launch), "Interpreted" without. */
  public String implementation() {
    return engine.getImplementationName();
  }

  @Override
  public void close() {
    watchdog.shutdownNow();
    engine.close(true);
  }
}
