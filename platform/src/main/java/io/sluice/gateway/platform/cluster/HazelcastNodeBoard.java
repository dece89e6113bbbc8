// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link NodeBoard} on a Hazelcast map of byte arrays, keyed {@code <member uuid>/<key>}. When a member leaves,
 * every member that sees it go removes its entries (off Hazelcast's event thread); the time-to-lives clean up
 * what a member missed.
 */
final class HazelcastNodeBoard implements NodeBoard {

  private static final Logger log = LoggerFactory.getLogger(HazelcastNodeBoard.class);
  private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final HazelcastInstance member;
  private final IMap<String, byte[]> map;
  private final String self;
  private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

  HazelcastNodeBoard(HazelcastInstance member, String mapName) {
    this.member = member;
    this.map = member.getMap(mapName);
    this.self = member.getCluster().getLocalMember().getUuid().toString();
    member.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {}

      @Override
      public void memberRemoved(MembershipEvent event) {
        String prefix = event.getMember().getUuid() + "/";
        CompletableFuture.runAsync(() -> {
          for (String key : map.keySet()) {
            if (key.startsWith(prefix)) {
              map.removeAsync(key);
            }
          }
        });
      }
    });
  }

  private static String name(Member m) {
    return m.getAddress().getHost() + ":" + m.getAddress().getPort();
  }

  @Override
  public String selfName() {
    return name(member.getCluster().getLocalMember());
  }

  @Override
  public Collection<String> memberNames() {
    List<String> names = new ArrayList<>();
    member.getCluster().getMembers().forEach(m -> names.add(name(m)));
    return names;
  }

  @Override
  public void publish(String key, byte[] value, Duration ttl) {
    map.setAsync(self + "/" + key, value, Math.max(1, ttl.toMillis()), TimeUnit.MILLISECONDS)
        .whenComplete((v, failure) -> {
          long now = System.nanoTime();
          long last = lastWarning.get();
          if (failure != null && now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
            log.warn("cannot publish this node's {} to the cluster (the others' views miss it until it can): {}",
                key, failure.toString());
          }
        });
  }

  @Override
  public Map<String, Collection<byte[]>> readOthers(Collection<String> keys) {
    Map<String, String> fullToKey = new HashMap<>();
    for (Member m : member.getCluster().getMembers()) {
      if (m.localMember()) {
        continue;
      }
      for (String key : keys) {
        fullToKey.put(m.getUuid() + "/" + key, key);
      }
    }
    Map<String, Collection<byte[]>> found = new HashMap<>();
    if (fullToKey.isEmpty()) {
      return found;
    }
    Set<String> wanted = new HashSet<>(fullToKey.keySet());
    map.getAll(wanted).forEach((full, value) ->
        found.computeIfAbsent(fullToKey.get(full), k -> new ArrayList<>()).add(value));
    return found;
  }
}
