// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api;

import java.util.Objects;

/**
 * A typed key for {@link Exchange#get}/{@link Exchange#put}. Keys are equal when their names are equal, so a
 * Java policy and a JS policy that agree on a name share the value.
 *
 * <pre>{@code
 * static final AttributeKey<String> TENANT = AttributeKey.of("tenant", String.class);
 * }</pre>
 *
 * @param name a stable name, conventionally {@code plugin-id.name}
 * @param type the value's type
 */
public record AttributeKey<T>(String name, Class<T> type) {

  public AttributeKey {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }

  public static <T> AttributeKey<T> of(String name, Class<T> type) {
    return new AttributeKey<>(name, type);
  }
}
