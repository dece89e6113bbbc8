// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import io.sluice.gateway.api.config.ConfigException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration that cannot be used, with every problem found. The running configuration is left as it was.
 */
public final class InvalidConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String source;
  private final transient List<ConfigException> problems;

  public InvalidConfigException(String source, List<ConfigException> problems) {
    super(
        "invalid configuration " + source + ":\n  "
            + problems.stream().map(ConfigException::getMessage).collect(Collectors.joining("\n  ")),
        null,
        false,
        false);
    this.source = source;
    this.problems = List.copyOf(problems);
  }

  /** Where the configuration came from (a file path). */
  public String source() {
    return source;
  }

  /** Each problem, with the path of the bad field. */
  public List<ConfigException> problems() {
    return problems;
  }
}
