// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.headers;

import io.sluice.gateway.api.Exchange;
import io.sluice.gateway.api.config.ConfigException;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One direction's compiled header changes: remove, rename, set, add. */
final class HeaderOperations {

  private record Change(String name, ValueTemplate value) {}

  private final List<String> remove;
  private final List<Map.Entry<String, String>> rename;
  private final List<Change> set;
  private final List<Change> add;

  private HeaderOperations(List<String> remove, List<Map.Entry<String, String>> rename, List<Change> set, List<Change> add) {
    this.remove = remove;
    this.rename = rename;
    this.set = set;
    this.add = add;
  }

  static HeaderOperations compile(HeadersConfig.Operations ops) {
    for (String name : ops.remove()) {
      checkName(name, "remove");
    }
    ops.rename().forEach((from, to) -> {
      checkName(from, "rename");
      checkName(to, "rename." + from);
    });
    return new HeaderOperations(
        List.copyOf(ops.remove()), List.copyOf(ops.rename().entrySet()), changes(ops.set(), "set"), changes(ops.add(), "add"));
  }

  private static List<Change> changes(Map<String, String> entries, String field) {
    List<Change> changes = new ArrayList<>();
    entries.forEach((name, value) -> {
      checkName(name, field);
      try {
        changes.add(new Change(name, ValueTemplate.compile(value)));
      } catch (ConfigException e) {
        throw e.at(field + "." + name);
      }
    });
    return List.copyOf(changes);
  }

  private static void checkName(String name, String field) {
    if (name.isEmpty() || name.indexOf('_') >= 0 || name.chars().anyMatch(c -> c <= ' ' || c == ':' || c >= 0x7f)) {
      throw new ConfigException(field, "'" + name + "' is not a valid header name (no underscores, spaces or colons)");
    }
  }

  boolean isEmpty() {
    return remove.isEmpty() && rename.isEmpty() && set.isEmpty() && add.isEmpty();
  }

  void apply(MultiMap headers, Exchange exchange) {
    for (String name : remove) {
      headers.remove(name);
    }
    for (Map.Entry<String, String> r : rename) {
      List<String> values = headers.getAll(r.getKey());
      if (!values.isEmpty()) {
        headers.remove(r.getKey());
        headers.set(r.getValue(), values);
      }
    }
    for (Change c : set) {
      String v = c.value().render(exchange);
      if (v != null) {
        headers.set(c.name(), v);
      }
    }
    for (Change c : add) {
      String v = c.value().render(exchange);
      if (v != null) {
        headers.add(c.name(), v);
      }
    }
  }
}
