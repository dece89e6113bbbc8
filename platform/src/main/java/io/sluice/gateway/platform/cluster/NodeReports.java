// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.sluice.gateway.platform.config.GatewayConfig;
import io.sluice.gateway.platform.plugin.PluginGeneration;
import io.sluice.gateway.platform.reload.Reloader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each node says about itself in the cluster, for {@code GET /admin/cluster}: the shared configuration
 * it serves and whether the last one it read applied or was refused (and why), and its plugin set. One JSON
 * entry per member in a Hazelcast map, written on every reload; a member's entry is removed when it leaves
 * (by every member that sees it go), and entries of members no longer in the cluster when this one starts.
 */
final class NodeReports implements Reloader.Listener {

  private static final Logger log = LoggerFactory.getLogger(NodeReports.class);

  private final HazelcastInstance member;
  private final IMap<String, String> nodes;
  private final SharedConfigSource source;
  private final String sluiceVersion;
  private JsonObject serving = new JsonObject();
  private JsonObject last = new JsonObject();
  private JsonArray plugins = new JsonArray();
  private final java.util.Set<String> warned = new java.util.HashSet<>();

  NodeReports(HazelcastInstance member, SharedConfigSource source, String sluiceVersion) {
    this.member = member;
    this.nodes = member.getMap(HazelcastMember.NODES);
    this.source = source;
    this.sluiceVersion = sluiceVersion;
    member.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {}

      @Override
      public void memberRemoved(MembershipEvent event) {
        // on Hazelcast's event thread: asynchronous, never blocking it
        nodes.removeAsync(event.getMember().getUuid().toString());
      }
    });
    java.util.Set<String> present = new java.util.HashSet<>();
    member.getCluster().getMembers().forEach(m -> present.add(m.getUuid().toString()));
    for (String uuid : nodes.keySet()) {
      if (!present.contains(uuid)) {
        nodes.removeAsync(uuid); // a member that left while no one could see it (every restart has a new UUID)
      }
    }
  }

  @Override
  public synchronized void applied(String version, GatewayConfig config, PluginGeneration generation) {
    SharedConfigSource.Copy copy = source.applied(version);
    String hash = source.lastReadHash();
    long copyVersion = copy != null && copy.hash().equals(hash) ? copy.version() : -1;
    serving = new JsonObject().put("version", copyVersion).put("hash", hash);
    last = serving.copy().put("state", "applied").put("at", Instant.now().toString());
    plugins = pluginSet(generation);
    report();
  }

  @Override
  public synchronized void refused(String version, List<String> problems) {
    SharedConfigSource.Copy copy = source.clusterCopy();
    String hash = source.lastReadHash();
    last = new JsonObject()
        .put("version", copy != null && copy.hash().equals(hash) ? copy.version() : -1)
        .put("hash", hash)
        .put("state", "refused")
        .put("problems", new JsonArray(List.copyOf(problems)))
        .put("at", Instant.now().toString());
    report();
  }

  @Override
  public synchronized void pluginsInstalled(PluginGeneration generation) {
    plugins = pluginSet(generation);
    report();
  }

  /** The plugins' ids and versions, sorted, so that equal sets compare equal. */
  private static JsonArray pluginSet(PluginGeneration generation) {
    java.util.TreeMap<String, String> sorted = new java.util.TreeMap<>();
    generation.describe().forEach(p -> {
      JsonObject plugin = (JsonObject) p;
      sorted.put(plugin.getString("id"), plugin.getString("version"));
    });
    JsonArray set = new JsonArray();
    sorted.forEach((id, version) -> set.add(new JsonObject().put("id", id).put("version", version)));
    return set;
  }

  private void report() {
    write();
    warnOnPluginDrift();
  }

  /** Logs once per difference when another member's plugin set is not this one's. */
  private void warnOnPluginDrift() {
    Member self = member.getCluster().getLocalMember();
    for (Member m : member.getCluster().getMembers()) {
      String raw = m.localMember() ? null : nodes.get(m.getUuid().toString());
      JsonArray theirs = raw == null ? null : new JsonObject(raw).getJsonArray("plugins");
      if (theirs != null && !theirs.equals(plugins)) {
        String difference = m.getUuid() + theirs.encode() + plugins.encode();
        if (warned.add(difference)) {
          log.warn("plugin sets differ: {} has {}, this node ({}) has {}; routes using a plugin one node lacks are"
              + " refused there (see GET /admin/cluster)", m.getAddress(), theirs.encode(), self.getAddress(),
              plugins.encode());
        }
      }
    }
  }

  private void write() {
    Member self = member.getCluster().getLocalMember();
    nodes.set(self.getUuid().toString(), new JsonObject()
        .put("address", self.getAddress().getHost() + ":" + self.getAddress().getPort())
        .put("sluice", sluiceVersion)
        .put("serving", serving)
        .put("last", last)
        .put("plugins", plugins)
        .encode());
  }

  /**
   * The cluster as this node sees it: the cluster's copy, each member's report, drift (a member serving
   * another copy, or whose last copy was refused; plugin sets that differ) and this member's state sizes.
   * Blocking (reads maps): call it on a worker.
   */
  JsonObject describe() {
    SharedConfigSource.Copy copy = source.clusterCopy();
    Member self = member.getCluster().getLocalMember();
    JsonArray members = new JsonArray();
    JsonArray drift = new JsonArray();
    TreeSet<String> pluginSets = new TreeSet<>();
    for (Member m : member.getCluster().getMembers()) {
      String raw = nodes.get(m.getUuid().toString());
      JsonObject report = raw == null ? new JsonObject().put("address", m.getAddress().getHost() + ":"
          + m.getAddress().getPort()) : new JsonObject(raw);
      report.put("uuid", m.getUuid().toString()).put("self", m.localMember());
      members.add(report);
      JsonObject serving = report.getJsonObject("serving");
      JsonObject lastRead = report.getJsonObject("last");
      String address = report.getString("address");
      if (copy != null && serving != null && !Objects.equals(serving.getString("hash"), copy.hash())) {
        drift.add(address + " serves configuration " + serving.getString("hash") + ", not the cluster's "
            + copy.hash());
      }
      if (lastRead != null && "refused".equals(lastRead.getString("state"))) {
        drift.add(address + " refused configuration " + lastRead.getString("hash") + ": "
            + lastRead.getJsonArray("problems", new JsonArray()).encode());
      }
      JsonArray set = report.getJsonArray("plugins");
      if (set != null) {
        pluginSets.add(set.encode());
      }
    }
    if (pluginSets.size() > 1) {
      drift.add("the members' plugin sets differ: " + String.join(" / ", pluginSets));
    }
    JsonObject state = new JsonObject();
    for (String map : List.of(HazelcastMember.COUNTERS, HazelcastMember.BUDGETS, HazelcastMember.STORES,
        HazelcastMember.CACHE)) {
      state.put(map.substring("sluice.".length()), new JsonObject()
          .put("entries", member.getMap(map).size())
          .put("ownedHere", member.getMap(map).getLocalMapStats().getOwnedEntryCount()));
    }
    return new JsonObject()
        .put("backend", "hazelcast")
        .put("name", member.getConfig().getClusterName())
        .put("self", self.getUuid().toString())
        .put("config", copy == null ? null : new JsonObject().put("version", copy.version()).put("hash", copy.hash())
            .put("publishedBy", copy.origin()))
        .put("members", members)
        .put("drift", drift)
        .put("state", state);
  }
}
