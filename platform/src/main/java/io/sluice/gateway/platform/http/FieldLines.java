// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.http;

import io.vertx.core.MultiMap;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A list-valued header read whole. A recipient may combine a field's lines into one comma-separated value
 * (RFC 9110 §5.3), and one that reads only the first line reads a different message than the next hop: a
 * trusted proxy that adds its own {@code X-Forwarded-For} line after the client's, a second {@code Connection}
 * line naming a hop-by-hop header.
 */
public final class FieldLines {

  private FieldLines() {}

  /** All lines of {@code name} joined with {@code ", "}; null when there is none. One lookup when there is none. */
  public static @Nullable String joined(MultiMap headers, CharSequence name) {
    String first = headers.get(name);
    if (first == null) {
      return null;
    }
    List<String> all = headers.getAll(name);
    return all.size() <= 1 ? first : String.join(", ", all);
  }
}
