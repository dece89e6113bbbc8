// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.analytics;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The form a node publishes a bucket in for the others: a version byte, the node's name, then each cell's
 * key (three strings and the status class), counts and histograms as (bucket index, count) pairs. Plain
 * bytes: any node reads them without Java serialization, whatever classes it has.
 */
final class BucketCodec {

  private static final byte VERSION = 1;

  /** A published bucket, read back. */
  record Decoded(String node, Map<CellKey, Usage> cells) {}

  private BucketCodec() {}

  static byte[] encode(String node, Map<CellKey, Usage> cells) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + cells.size() * 128);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeUTF(node);
      out.writeInt(cells.size());
      for (Map.Entry<CellKey, Usage> e : cells.entrySet()) {
        CellKey k = e.getKey();
        Usage u = e.getValue();
        out.writeUTF(k.route());
        out.writeUTF(k.consumer());
        out.writeUTF(k.upstream());
        out.writeByte(k.statusClass());
        out.writeLong(u.requests);
        out.writeLong(u.errors);
        out.writeLong(u.clientErrors);
        out.writeLong(u.bytesIn);
        out.writeLong(u.bytesOut);
        write(out, u.latency);
        write(out, u.upstreamLatency);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return bytes.toByteArray();
  }

  /**
   * Reads a published bucket.
   *
   * @throws IllegalArgumentException when the bytes are not one (another version, truncated)
   */
  static Decoded decode(byte[] wire) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(wire))) {
      byte version = in.readByte();
      if (version != VERSION) {
        throw new IllegalArgumentException("analytics bucket of version " + version + ", this node reads " + VERSION);
      }
      String node = in.readUTF();
      int n = in.readInt();
      if (n < 0 || n > wire.length) {
        throw new IllegalArgumentException("analytics bucket with " + n + " cells in " + wire.length + " bytes");
      }
      Map<CellKey, Usage> cells = new HashMap<>();
      for (int i = 0; i < n; i++) {
        CellKey key = new CellKey(in.readUTF(), in.readUTF(), in.readUTF(), in.readByte());
        if (key.statusClass() < 0 || key.statusClass() > 5) {
          throw new IllegalArgumentException("analytics bucket with status class " + key.statusClass());
        }
        Usage u = new Usage(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(), read(in),
            read(in));
        Usage existing = cells.putIfAbsent(key, u);
        if (existing != null) {
          existing.add(u);
        }
      }
      return new Decoded(node, cells);
    } catch (IOException e) {
      throw new IllegalArgumentException("truncated analytics bucket: " + e, e);
    }
  }

  private static void write(DataOutputStream out, CompactHistogram h) throws IOException {
    out.writeShort(h.size());
    for (int i = 0; i < h.size(); i++) {
      out.writeByte(h.index(i));
      out.writeLong(h.count(i));
    }
  }

  private static CompactHistogram read(DataInputStream in) throws IOException {
    int n = in.readUnsignedShort();
    if (n > LogBuckets.COUNT) {
      throw new IllegalArgumentException("analytics histogram of " + n + " buckets");
    }
    int[] indexes = new int[n];
    long[] counts = new long[n];
    for (int i = 0; i < n; i++) {
      indexes[i] = in.readUnsignedByte();
      counts[i] = in.readLong();
    }
    return CompactHistogram.of(indexes, counts);
  }
}
