// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.script;

import org.jspecify.annotations.Nullable;

/** Creates the GraalJS engine on first use, so a gateway without scripts never pays for it. */
public final class ScriptEngineHolder implements AutoCloseable {

  private @Nullable ScriptEngine engine;

  public synchronized ScriptEngine get() {
    if (engine == null) {
      engine = new ScriptEngine();
    }
    return engine;
  }

  /** {@code "GraalVM CE"} (JIT), {@code "Interpreted"}, or {@code "not started"} before the first script. */
  public synchronized String describe() {
    return engine == null ? "not started" : engine.implementation();
  }

  @Override
  public synchronized void close() {
    if (engine != null) {
      engine.close();
      engine = null;
    }
  }
}
