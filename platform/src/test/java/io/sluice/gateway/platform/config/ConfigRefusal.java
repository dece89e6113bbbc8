// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import static org.assertj.core.api.Assertions.assertThat;

/** The one problem a configuration test expects a loader to refuse a file with. */
final class ConfigRefusal {

  private ConfigRefusal() {}

  /** Parses {@code yaml} with {@code loader}, and returns the message of its only problem; fails when it is accepted. */
  static String onlyProblem(ConfigLoader loader, String yaml) {
    try {
      loader.parse(yaml, "test.yaml");
    } catch (InvalidConfigException e) {
      assertThat(e.problems()).hasSize(1);
      return e.problems().get(0).getMessage();
    }
    throw new AssertionError("expected the configuration to be refused");
  }
}
