// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api.auth;

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
