// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.sluice.gateway.platform.config.ConfigLoader;
import io.sluice.gateway.platform.config.ConfigSnapshot;
import io.sluice.gateway.platform.config.ConfigSource;
import io.sluice.gateway.platform.config.FileConfigSource;
import io.sluice.gateway.platform.reload.RestartOnlySections;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's configuration in a cluster: its own file, with the shared sections (every section {@link
 * RestartOnlySections} does not list: routes, upstreams, policies, scripts, consumers...) replaced by the
 * cluster's copy, kept in a Hazelcast map as JSON exactly as written (before {@code ${env:...}}, which each
 * node substitutes from its own environment).
 *
 * <p>Precedence: the most recent change wins. A node that starts where the cluster already holds a copy
 * takes the cluster's (and warns when its file's shared sections differ); the first node of a cluster
 * publishes its file's. Later, when a node's file changes and the node applies it (a reload of the file or
 * {@code POST /admin/reload}), it publishes it, and every other node swaps it in through its reloader. A
 * copy a node refuses is reported, and that node keeps serving its previous configuration.
 *
 * <p>The {@linkplain #version() version} is the file's stamp and the hash of the shared sections it would
 * use, so the reloader sees a change of either. Blocking, like every source: call it on a worker.
 */
final class SharedConfigSource implements ConfigSource {

  private static final Logger log = LoggerFactory.getLogger(SharedConfigSource.class);
  static final String KEY = "shared";

  /** The cluster's copy: a version counting publications, the sections' hash, who published it, the sections. */
  record Copy(long version, String hash, String origin, JsonObject sections) {
    static Copy parse(String json) {
      JsonObject o = new JsonObject(json);
      return new Copy(o.getLong("version"), o.getString("hash"), o.getString("origin"), o.getJsonObject("sections"));
    }

    String encode() {
      return new JsonObject().put("version", version).put("hash", hash).put("origin", origin).put("sections", sections)
          .encode();
    }
  }

  private final FileConfigSource file;
  private final ConfigLoader loader;
  private final IMap<String, String> map;
  private final String node;
  private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
  private final ObjectMapper json = new ObjectMapper();
  private volatile @Nullable Copy cluster;
  private volatile Runnable onChange = () -> {};
  private @Nullable String lastFileVersion;
  private String readClusterHash = "";
  private String readUsedHash = "";
  /** The file's sections last read, to publish once they apply (null when the cluster's copy was used). */
  private @Nullable Copy pending;
  private @Nullable String pendingVersion;
  private boolean pendingOnlyIfAbsent;

  SharedConfigSource(FileConfigSource file, ConfigLoader loader, IMap<String, String> map, String node) {
    this.file = file;
    this.loader = loader;
    this.map = map;
    this.node = node;
    map.addEntryListener(new Changes(), KEY, true);
    String current = map.get(KEY);
    cluster = current == null ? null : Copy.parse(current);
  }

  /** Runs (on a Hazelcast thread: it must hand off) when the cluster's copy changes. */
  void onChange(Runnable onChange) {
    this.onChange = onChange;
  }

  /** The cluster's copy as this node last heard of it, or null before any node published one. */
  @Nullable Copy clusterCopy() {
    return cluster;
  }

  @Override
  public String name() {
    return file.name();
  }

  @Override
  public Path directory() {
    return file.directory();
  }

  @Override
  public synchronized ConfigSnapshot read() {
    String fileVersion = file.version();
    boolean first = lastFileVersion == null;
    boolean fileChanged = !first && !fileVersion.equals(lastFileVersion);
    lastFileVersion = fileVersion;
    pending = null;
    pendingVersion = null;
    String raw = map.get(KEY);
    Copy copy = raw == null ? null : Copy.parse(raw);
    cluster = copy;
    readClusterHash = copy == null ? "" : copy.hash();
    ObjectNode whole;
    try {
      JsonNode tree = yaml.readTree(Files.readString(file.file(), StandardCharsets.UTF_8));
      whole = tree instanceof ObjectNode o ? o : null;
    } catch (IOException e) {
      whole = null;
    }
    if (whole == null) {
      // Unreadable, not YAML, not a mapping: the file source says why, with line numbers.
      ConfigSnapshot s = file.read();
      return new ConfigSnapshot(s.source(), fileVersion + "|" + readUsedHash, s.config(), s.problems());
    }
    JsonObject fileShared = sharedPart(whole);
    String fileHash = hash(fileShared);
    JsonObject shared;
    String version;
    if (copy == null || (fileChanged && !fileHash.equals(copy.hash()))) {
      shared = fileShared;
      readUsedHash = fileHash;
      version = fileVersion + "|" + fileHash;
      pending = new Copy(0, fileHash, node, fileShared);
      pendingVersion = version;
      pendingOnlyIfAbsent = copy == null;
    } else {
      if (first && !fileHash.equals(copy.hash())) {
        log.warn("the shared sections of {} differ from the cluster's copy (version {} from {}): the cluster's copy"
            + " serves; edit the file to publish it", file.name(), copy.version(), copy.origin());
      }
      shared = copy.sections();
      readUsedHash = copy.hash();
      version = fileVersion + "|" + copy.hash();
    }
    ObjectNode merged = whole.deepCopy();
    List<String> names = new ArrayList<>();
    merged.fieldNames().forEachRemaining(names::add);
    names.stream().filter(n -> !RestartOnlySections.NAMES.contains(n)).forEach(merged::remove);
    try {
      ObjectNode sharedTree = (ObjectNode) json.readTree(shared.encode());
      merged.setAll(sharedTree);
      ConfigLoader.Loaded loaded = loader.parseAll(json.writeValueAsString(merged), file.name());
      return new ConfigSnapshot(file.name(), version, loaded.config(), loaded.problems());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot merge the shared configuration: " + e.getMessage(), e);
    }
  }

  @Override
  public String version() {
    Copy copy = cluster;
    String hash = copy == null ? "" : copy.hash();
    synchronized (this) {
      return file.version() + "|" + (hash.equals(readClusterHash) ? readUsedHash : hash);
    }
  }

  /**
   * The configuration read as {@code version} serves here: if it was the file's, publish it (over the
   * cluster's unless this is the first copy). Returns the cluster's copy afterwards.
   */
  synchronized @Nullable Copy applied(String version) {
    if (pending != null && version.equals(pendingVersion)) {
      Copy mine = pending;
      pending = null;
      String result = map.executeOnKey(KEY, new Publish(mine.hash(), mine.origin(), mine.sections().encode(),
          pendingOnlyIfAbsent));
      Copy now = Copy.parse(result);
      cluster = now;
      if (now.hash().equals(mine.hash())) {
        log.info("published the shared configuration to the cluster: version {} ({})", now.version(), now.hash());
      } else {
        log.info("another node published the shared configuration first (version {} from {}): taking it",
            now.version(), now.origin());
        onChange.run();
      }
    }
    return cluster;
  }

  /** The hash of the sections this node last read (applied or not). */
  synchronized String lastReadHash() {
    return readUsedHash;
  }

  /** The sections of a file tree that every node shares, as written. */
  private static JsonObject sharedPart(ObjectNode whole) {
    JsonObject shared = new JsonObject();
    whole.fields().forEachRemaining(e -> {
      if (!RestartOnlySections.NAMES.contains(e.getKey())) {
        shared.put(e.getKey(), new JsonObject("{\"v\":" + e.getValue().toString() + "}").getValue("v"));
      }
    });
    return shared;
  }

  /** A short hash of the sections, the same whatever the order of keys. */
  static String hash(JsonObject sections) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(canonical(sections.getMap()).toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object canonical(@Nullable Object value) {
    if (value instanceof JsonObject o) {
      return canonical(o.getMap());
    }
    if (value instanceof Map<?, ?> m) {
      TreeMap<String, Object> sorted = new TreeMap<>();
      m.forEach((k, v) -> sorted.put(String.valueOf(k), canonical(v)));
      return sorted;
    }
    if (value instanceof io.vertx.core.json.JsonArray a) {
      return canonical(a.getList());
    }
    if (value instanceof List<?> l) {
      return l.stream().map(SharedConfigSource::canonical).toList();
    }
    return String.valueOf(value);
  }

  private final class Changes implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String> {
    @Override
    public void entryAdded(EntryEvent<String, String> event) {
      changed(event.getValue());
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> event) {
      changed(event.getValue());
    }

    private void changed(@Nullable String value) {
      if (value != null) {
        cluster = Copy.parse(value);
        onChange.run();
      }
    }
  }

  /**
   * Publishes sections as the cluster's copy, one version up; keeps the copy when it already holds the same
   * sections, or any when {@code onlyIfAbsent}. Returns the copy after. Deterministic, so backups rerun it.
   */
  static final class Publish implements EntryProcessor<String, String, String> {
    private static final long serialVersionUID = 1L;
    private final String hash;
    private final String origin;
    private final String sections;
    private final boolean onlyIfAbsent;

    Publish(String hash, String origin, String sections, boolean onlyIfAbsent) {
      this.hash = hash;
      this.origin = origin;
      this.sections = sections;
      this.onlyIfAbsent = onlyIfAbsent;
    }

    @Override
    public String process(Map.Entry<String, String> entry) {
      String old = entry.getValue();
      Copy before = old == null ? null : Copy.parse(old);
      if (before != null && (onlyIfAbsent || before.hash().equals(hash))) {
        return old;
      }
      String next = new Copy(before == null ? 1 : before.version() + 1, hash, origin, new JsonObject(sections)).encode();
      entry.setValue(next);
      return next;
    }
  }
}
