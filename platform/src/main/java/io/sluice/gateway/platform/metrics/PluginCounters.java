// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.gateway.api.PolicyMeters;

/**
 * A policy's {@link PolicyMeters} for one route and policy type: counters named
 * {@code sluice.plugin.<type>.<name>} (exported {@code sluice_plugin_<type>_<name>_total}) with the route's
 * label, registered as the factory asks for them, within the compilation.
 */
final class PluginCounters implements PolicyMeters {

  private final MeterRegistry registry;
  private final CompiledMeters compiled;
  private final String routeId;
  private final String prefix;

  PluginCounters(MeterRegistry registry, CompiledMeters compiled, String routeId, String policyType) {
    this.registry = registry;
    this.compiled = compiled;
    this.routeId = routeId;
    this.prefix = "sluice.plugin." + policyType.replace('-', '_') + ".";
  }

  @Override
  public PolicyMeters.Counter counter(String name, String description) {
    if (!validName(name)) {
      throw new IllegalArgumentException("meter name '" + name + "' must be [a-z][a-z0-9_]*, at most 64 characters,"
          + " without _total");
    }
    io.micrometer.core.instrument.Counter counter = compiled.register(io.micrometer.core.instrument.Counter.builder(prefix + name).description(description)
        .tag("route", routeId).register(registry));
    return amount -> counter.increment(amount);
  }

  static boolean validName(String name) {
    if (name.isEmpty() || name.length() > 64 || name.endsWith("_total") || name.charAt(0) < 'a'
        || name.charAt(0) > 'z') {
      return false;
    }
    for (int i = 1; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '_') {
        return false;
      }
    }
    return true;
  }
}
