// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.reload;

import java.util.List;

/**
 * A reload that was refused whole: nothing was swapped and the previous configuration and plugins keep
 * serving. Says which kind of source was refused, which one ({@link #source()}: the file or directory), and
 * every problem, each with the path of its field where there is one.
 */
public final class ReloadRefused extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What was being reloaded. */
  public enum Kind {
    /** The configuration (from its source, or again because a script file it uses changed). */
    CONFIGURATION,
    /** The plugins directory, as a new plugin generation with the current configuration compiled against it. */
    PLUGINS
  }

  private final Kind kind;
  private final String source;
  private final transient List<String> problems;

  public ReloadRefused(Kind kind, String source, String detail, List<String> problems) {
    super(detail, null, false, false);
    this.kind = kind;
    this.source = source;
    this.problems = List.copyOf(problems);
  }

  public Kind kind() {
    return kind;
  }

  /** The configuration source's name or the plugins directory. */
  public String source() {
    return source;
  }

  /** Every problem found, e.g. {@code routes[orders].upstream: unknown upstream 'ordrs'}. */
  public List<String> problems() {
    return problems;
  }
}
