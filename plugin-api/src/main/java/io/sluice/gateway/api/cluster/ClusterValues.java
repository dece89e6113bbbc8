// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api.cluster;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The value types a {@link KeyValueStore} may hold, and the checks and copies every implementation applies.
 * A value stored on one node is read on another, by a gateway that may not have the plugin's classes (each
 * plugin has its own class loader and can be replaced at run time), so only types of the JDK and Vert.x
 * core, with a wire form every node understands, are allowed.
 *
 * <p>Plugins need this class only to read {@link #TYPES}; implementations of {@link ClusterServices} call
 * {@link #requireAllowedType} when a store is created and {@link #copyOf} on every value in and out.
 */
public final class ClusterValues {

  /**
   * The allowed value types. A {@link JsonObject} or {@link JsonArray} must hold only JSON values: strings,
   * numbers, booleans, nulls, and nested JSON objects and arrays.
   */
  public static final Set<Class<?>> TYPES = Set.of(
      String.class, Boolean.class, Integer.class, Long.class, Double.class, Buffer.class, JsonObject.class,
      JsonArray.class);

  private ClusterValues() {}

  /**
   * @throws IllegalArgumentException naming the store, the refused type and the allowed ones, when
   *     {@code valueType} is not in {@link #TYPES}
   */
  public static void requireAllowedType(String storeName, Class<?> valueType) {
    if (!TYPES.contains(valueType)) {
      throw new IllegalArgumentException("cluster store '" + storeName + "' cannot hold " + valueType.getName()
          + ": values must be String, Boolean, Integer, Long, Double, Buffer, JsonObject or JsonArray, so that"
          + " every node can read them without the plugin's classes");
    }
  }

  /**
   * A copy of {@code value} that shares nothing mutable with it: the stored value cannot change when the
   * caller changes its object later, as it cannot in a cluster. Immutable values are returned as they are.
   *
   * @throws IllegalArgumentException when the value is not of an allowed type, or is JSON holding something
   *     other than JSON values (the message names the path, e.g. {@code $.user.profile})
   */
  public static <V> V copyOf(V value) {
    if (value instanceof Buffer b) {
      @SuppressWarnings("unchecked")
      V copy = (V) b.copy();
      return copy;
    }
    if (value instanceof JsonObject o) {
      requireJson(o, "$");
      @SuppressWarnings("unchecked")
      V copy = (V) o.copy();
      return copy;
    }
    if (value instanceof JsonArray a) {
      requireJson(a, "$");
      @SuppressWarnings("unchecked")
      V copy = (V) a.copy();
      return copy;
    }
    if (!TYPES.contains(value.getClass())) {
      throw new IllegalArgumentException("a cluster store cannot hold " + value.getClass().getName());
    }
    return value;
  }

  private static void requireJson(@Nullable Object v, String path) {
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Integer || v instanceof Long
        || v instanceof Double || v instanceof Float || v instanceof Short || v instanceof Byte
        || v instanceof BigInteger || v instanceof BigDecimal) {
      return;
    }
    if (v instanceof JsonObject o) {
      o.forEach(e -> requireJson(e.getValue(), path + "." + e.getKey()));
    } else if (v instanceof Map<?, ?> m) {
      m.forEach((k, e) -> requireJson(e, path + "." + k));
    } else if (v instanceof JsonArray a) {
      for (int i = 0; i < a.size(); i++) {
        requireJson(a.getValue(i), path + "[" + i + "]");
      }
    } else if (v instanceof List<?> l) {
      for (int i = 0; i < l.size(); i++) {
        requireJson(l.get(i), path + "[" + i + "]");
      }
    } else {
      throw new IllegalArgumentException("a cluster store holds only JSON values, but " + path + " is a "
          + v.getClass().getName());
    }
  }
}
