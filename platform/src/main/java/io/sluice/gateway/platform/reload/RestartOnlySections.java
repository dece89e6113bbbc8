// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.reload;

import io.sluice.gateway.platform.config.GatewayConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The sections of a configuration that a reload does not apply: they take effect at the next start. */
public final class RestartOnlySections {

  /**
   * The keys of these sections in a configuration file. They are also each node's own in a cluster: every
   * other section is shared (see docs/clustering.md).
   */
  public static final Set<String> NAMES =
      Set.of("server", "admin", "accessLog", "health", "cluster", "echo", "reload", "plugins", "metrics",
          "analytics", "tracing");

  private RestartOnlySections() {}

  /** The names of the restart-only sections that differ between {@code current} and {@code next}. */
  static List<String> changed(GatewayConfig current, GatewayConfig next) {
    List<String> changed = new ArrayList<>();
    if (!current.server().equals(next.server())) {
      changed.add("server");
    }
    if (!current.admin().equals(next.admin())) {
      changed.add("admin");
    }
    if (!current.accessLog().equals(next.accessLog())) {
      changed.add("accessLog");
    }
    if (!current.health().equals(next.health())) {
      changed.add("health");
    }
    if (!current.cluster().equals(next.cluster())) {
      changed.add("cluster");
    }
    if (!current.echo().equals(next.echo())) {
      changed.add("echo");
    }
    if (!current.reload().equals(next.reload())) {
      changed.add("reload");
    }
    if (!current.plugins().equals(next.plugins())) {
      changed.add("plugins");
    }
    if (!current.metrics().equals(next.metrics())) {
      changed.add("metrics");
    }
    if (!current.analytics().equals(next.analytics())) {
      changed.add("analytics");
    }
    if (!current.tracing().equals(next.tracing())) {
      changed.add("tracing");
    }
    return changed;
  }
}
