// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api.auth;

import java.util.LinkedHashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which group and scope names can be sent to the upstream without changing their meaning. The gateway joins a
 * consumer's groups with {@code ,} ({@code X-Consumer-Groups: gold,internal}) and its scopes with a space
 * ({@code X-Authenticated-Scope: orders:read orders:write}), so a group holding a comma, or a scope holding a
 * space, would read as several to the upstream while the gateway's ACL saw one. A policy building a consumer
 * from outside data (token claims, an introspection answer) keeps only the values these accept and drops the
 * others (configured groups are refused at load for the same reason).
 */
public final class ConsumerValues {

  private ConsumerValues() {}

  /** A group name: not empty, printable ASCII or any non-ASCII letter, no comma, no space or control character. */
  public static boolean isGroup(String value) {
    if (value.isEmpty()) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= 0x20 || c == 0x7f || c == ',' || Character.isWhitespace(c) || Character.isISOControl(c)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The groups in a claim value from outside data (a token claim, an introspection answer): a space-separated
   * string or a list of strings, in order, without duplicates. Values {@link #isGroup} refuses are left out, and
   * {@code dropped} runs for each (say so once, and never log the value: it comes from the caller).
   */
  public static Set<String> groups(@Nullable Object claim, Runnable dropped) {
    return values(claim, true, dropped);
  }

  /** The scopes in a claim value, as {@link #groups} reads groups, keeping only what {@link #isScope} accepts. */
  public static Set<String> scopes(@Nullable Object claim, Runnable dropped) {
    return values(claim, false, dropped);
  }

  private static Set<String> values(@Nullable Object claim, boolean groups, Runnable dropped) {
    Set<String> out = new LinkedHashSet<>();
    if (claim instanceof String s) {
      for (String part : s.split(" ")) {
        if (!part.isEmpty()) {
          keep(out, part, groups, dropped);
        }
      }
    } else if (claim instanceof Iterable<?> list) {
      for (Object o : list) {
        if (o instanceof String s && !s.isEmpty()) {
          keep(out, s, groups, dropped);
        }
      }
    }
    return out;
  }

  private static void keep(Set<String> out, String value, boolean group, Runnable dropped) {
    if (group ? isGroup(value) : isScope(value)) {
      out.add(value);
    } else {
      dropped.run();
    }
  }

  /** A scope: RFC 6749 §3.3 {@code scope-token = 1*( %x21 / %x23-5B / %x5D-7E )}. */
  public static boolean isScope(String value) {
    if (value.isEmpty()) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x21 || c > 0x7e || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }
}
