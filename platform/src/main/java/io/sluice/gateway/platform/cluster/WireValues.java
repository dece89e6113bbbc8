// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.cluster;

import io.sluice.gateway.api.cluster.ClusterValues;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The form store values take in Hazelcast: one tag byte naming the type, then the value (UTF-8 text, JSON,
 * raw bytes or a big-endian number). Any node reads it without any plugin's classes, whatever its version.
 */
final class WireValues {

  private static final byte STRING = 1;
  private static final byte BOOLEAN = 2;
  private static final byte INTEGER = 3;
  private static final byte LONG = 4;
  private static final byte DOUBLE = 5;
  private static final byte BUFFER = 6;
  private static final byte JSON_OBJECT = 7;
  private static final byte JSON_ARRAY = 8;

  private WireValues() {}

  /**
   * The wire form of a store value.
   *
   * @throws IllegalArgumentException when the value is none of {@link ClusterValues#TYPES} (or JSON holding
   *     something else)
   */
  static byte[] encode(Object value) {
    ClusterValues.copyOf(value); // validates JSON contents, naming the bad path
    if (value instanceof String s) {
      return tagged(STRING, s.getBytes(StandardCharsets.UTF_8));
    }
    if (value instanceof Boolean b) {
      return new byte[] {BOOLEAN, (byte) (b ? 1 : 0)};
    }
    if (value instanceof Integer i) {
      return tagged(INTEGER, ByteBuffer.allocate(4).putInt(i).array());
    }
    if (value instanceof Long l) {
      return tagged(LONG, ByteBuffer.allocate(8).putLong(l).array());
    }
    if (value instanceof Double d) {
      return tagged(DOUBLE, ByteBuffer.allocate(8).putDouble(d).array());
    }
    if (value instanceof Buffer b) {
      return tagged(BUFFER, b.getBytes());
    }
    if (value instanceof JsonObject o) {
      return tagged(JSON_OBJECT, o.encode().getBytes(StandardCharsets.UTF_8));
    }
    if (value instanceof JsonArray a) {
      return tagged(JSON_ARRAY, a.encode().getBytes(StandardCharsets.UTF_8));
    }
    throw new IllegalArgumentException("a cluster store cannot hold " + value.getClass().getName());
  }

  /**
   * The value of a wire form, as {@code type}.
   *
   * @throws IllegalStateException when the entry holds another type (another store of the same name wrote it)
   */
  static <V> V decode(byte[] wire, Class<V> type) {
    byte[] body = Arrays.copyOfRange(wire, 1, wire.length);
    Object value = switch (wire[0]) {
      case STRING -> new String(body, StandardCharsets.UTF_8);
      case BOOLEAN -> body[0] != 0;
      case INTEGER -> ByteBuffer.wrap(body).getInt();
      case LONG -> ByteBuffer.wrap(body).getLong();
      case DOUBLE -> ByteBuffer.wrap(body).getDouble();
      case BUFFER -> Buffer.buffer(body);
      case JSON_OBJECT -> new JsonObject(new String(body, StandardCharsets.UTF_8));
      case JSON_ARRAY -> new JsonArray(new String(body, StandardCharsets.UTF_8));
      default -> throw new IllegalStateException("unknown cluster value tag " + wire[0]);
    };
    if (!type.isInstance(value)) {
      throw new IllegalStateException("the entry holds a " + value.getClass().getSimpleName() + ", not a "
          + type.getSimpleName());
    }
    return type.cast(value);
  }

  private static byte[] tagged(byte tag, byte[] body) {
    byte[] out = new byte[body.length + 1];
    out[0] = tag;
    System.arraycopy(body, 0, out, 1, body.length);
    return out;
  }
}
