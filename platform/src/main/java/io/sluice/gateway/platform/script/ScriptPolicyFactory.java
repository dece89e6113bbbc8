// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.script;

import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.PolicyContext;
import io.sluice.gateway.api.PolicyFactory;
import io.sluice.gateway.api.Stage;
import io.sluice.gateway.api.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.graalvm.polyglot.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code type: script}: a JavaScript file from the policies directory. Provided by the platform (it needs the
 * engine and the directory), registered beside the plugins' factories, and otherwise a policy like any other.
 */
public final class ScriptPolicyFactory implements PolicyFactory<ScriptConfig> {

  private final Supplier<ScriptEngine> engine;
  private final Path directory;
  private final int contextsPerScript;

  /**
   * @param contextsPerScript how many contexts to prepare per route script: one per event loop
   */
  public ScriptPolicyFactory(Supplier<ScriptEngine> engine, Path directory, int contextsPerScript) {
    this.engine = engine;
    this.directory = directory;
    this.contextsPerScript = contextsPerScript;
  }

  @Override
  public String type() {
    return "script";
  }

  @Override
  public Stage stage() {
    return Stage.TRANSFORM;
  }

  @Override
  public Class<ScriptConfig> configType() {
    return ScriptConfig.class;
  }

  @Override
  public Policy create(ScriptConfig config, PolicyContext context) {
    Path path = directory.resolve(config.file()).normalize();
    if (!path.startsWith(directory.normalize())) {
      throw new ConfigException("file", "'" + config.file() + "' is outside the policies directory");
    }
    String text;
    try {
      text = Files.readString(path);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new ConfigException("file", "'" + config.file() + "' does not exist (looked for " + path + ")");
    } catch (IOException e) {
      throw new ConfigException("file", "cannot read " + path + ": " + reason(e));
    }
    Source source = Source.newBuilder("js", text, config.file()).cached(true).buildLiteral();
    String settings = config.settings() == null ? "{}" : config.settings().toString();
    Logger scriptLog = LoggerFactory.getLogger("io.sluice.script." + config.file());
    Object log = JsApi.logger(scriptLog, config.file());
    ScriptEngine shared = engine.get();
    long maxBody = config.maxBodySize() == null ? -1 : config.maxBodySize().bytes();
    return new ScriptPolicy(config.file(), config.timeout(), maxBody, shared,
        () -> ScriptInstance.create(shared, source, settings, log, context.cluster(), config.timeout().toNanos()),
        contextsPerScript);
  }

  /** An I/O failure in words: NIO's exceptions often carry only the file name as their message. */
  private static String reason(IOException e) {
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
