// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import io.sluice.gateway.api.config.ConfigException;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Active health checks: every {@code interval} each target is sent {@code GET path}; a target that fails
 * {@code unhealthyThreshold} probes in a row gets no requests until it passes {@code healthyThreshold} in a
 * row. Targets start healthy.
 *
 * @param path the probe's path (with an optional query)
 * @param interval time between probes of a target
 * @param timeout a probe without a response head in this time fails
 * @param expectedStatuses statuses that pass, as codes or ranges: {@code [200, "300-399"]}; default
 *     {@code 200-399}
 * @param healthyThreshold passes in a row that make an unhealthy target healthy
 * @param unhealthyThreshold failures in a row that make a healthy target unhealthy
 * @param host the probe's {@code Host} header instead of the target's address
 */
public record HealthCheckConfig(
    String path,
    Duration interval,
    Duration timeout,
    List<String> expectedStatuses,
    Integer healthyThreshold,
    Integer unhealthyThreshold,
    @Nullable String host) {

  public HealthCheckConfig {
    if (path == null || !path.startsWith("/")) {
      throw new ConfigException("path", "is required and must start with '/'");
    }
    interval = interval != null ? interval : Duration.ofSeconds(5);
    timeout = timeout != null ? timeout : Duration.ofSeconds(2);
    expectedStatuses = expectedStatuses != null ? List.copyOf(expectedStatuses) : List.of("200-399");
    healthyThreshold = healthyThreshold != null ? healthyThreshold : 2;
    unhealthyThreshold = unhealthyThreshold != null ? unhealthyThreshold : 3;
    Durations.requirePositive("interval", interval);
    Durations.requirePositive("timeout", timeout);
    if (timeout.compareTo(interval) > 0) {
      throw new ConfigException("timeout", "must not be longer than the interval");
    }
    if (healthyThreshold < 1 || healthyThreshold > 100) {
      throw new ConfigException("healthyThreshold", "must be 1..100");
    }
    if (unhealthyThreshold < 1 || unhealthyThreshold > 100) {
      throw new ConfigException("unhealthyThreshold", "must be 1..100");
    }
    if (expectedStatuses.isEmpty()) {
      throw new ConfigException("expectedStatuses", "must list at least one status or range");
    }
    for (int i = 0; i < expectedStatuses.size(); i++) {
      statusRange(expectedStatuses.get(i), "expectedStatuses[" + i + "]");
    }
  }

  /** Whether {@code status} passes. */
  public boolean expects(int status) {
    for (String s : expectedStatuses) {
      int[] r = statusRange(s, "");
      if (status >= r[0] && status <= r[1]) {
        return true;
      }
    }
    return false;
  }

  /** Parses {@code 200} or {@code 200-299} into an inclusive range. */
  static int[] statusRange(String text, String field) {
    String s = text.trim();
    int dash = s.indexOf('-');
    try {
      int from = Integer.parseInt(dash < 0 ? s : s.substring(0, dash).trim());
      int to = dash < 0 ? from : Integer.parseInt(s.substring(dash + 1).trim());
      if (from < 100 || to > 599 || from > to) {
        throw new ConfigException(field, "'" + text + "' must be a status or range within 100-599");
      }
      return new int[] {from, to};
    } catch (NumberFormatException e) {
      throw new ConfigException(field, "'" + text + "' is not a status (200) or range (200-299)");
    }
  }
}
