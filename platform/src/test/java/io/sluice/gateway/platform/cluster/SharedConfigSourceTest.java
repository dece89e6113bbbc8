// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import io.sluice.gateway.platform.config.ClusterConfig;
import io.sluice.gateway.platform.config.ConfigLoader;
import io.sluice.gateway.platform.config.ConfigSnapshot;
import io.sluice.gateway.platform.config.FileConfigSource;
import io.sluice.gateway.platform.config.RouteConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared configuration's precedence and versions, with two "nodes" (two sources over their own files)
 * on one real member: the first publishes, a joiner takes the cluster's copy over its file, a file change
 * publishes once applied and never before, and versions move only when something changed (no reload loop).
 */
class SharedConfigSourceTest {

  private static HazelcastInstance member;
  @TempDir Path dir;
  private final ConfigLoader loader = new ConfigLoader();

  @BeforeAll
  static void startMember() throws Exception {
    int port = HazelcastClusterServicesContractTest.freePort();
    member = HazelcastMember.start(new ClusterConfig(ClusterConfig.Backend.HAZELCAST, "shared-" + UUID.randomUUID(),
        "127.0.0.1", port, false, List.of("127.0.0.1:" + port), false, null, 1, 100, null), Map.of());
  }

  @AfterAll
  static void stop() {
    if (member != null) {
      member.shutdown();
    }
  }

  @Test
  void theFirstNodePublishesAJoinerTakesTheCopyAndTheLatestAppliedChangeWins() throws Exception {
    String map = "config-" + UUID.randomUUID();
    SharedConfigSource a = source("a", map, "/one/**", 9001);
    ConfigSnapshot firstA = a.read();
    assertThat(paths(firstA)).containsExactly("/one/**");
    a.applied(firstA.version());
    assertThat(a.clusterCopy().version()).isEqualTo(1);
    assertThat(a.version()).as("publishing its own file moves nothing").isEqualTo(firstA.version());

    SharedConfigSource b = source("b", map, "/other/**", 9002);
    AtomicInteger bHeard = new AtomicInteger();
    b.onChange(bHeard::incrementAndGet);
    ConfigSnapshot firstB = b.read();
    assertThat(paths(firstB)).as("the cluster's copy over b's file").containsExactly("/one/**");
    assertThat(firstB.config().server().port()).as("b's own sections stay b's").isEqualTo(9002);
    b.applied(firstB.version());
    assertThat(b.clusterCopy().version()).as("a joiner publishes nothing").isEqualTo(1);
    assertThat(b.version()).isEqualTo(firstB.version());

    // A changes its file: read, not yet applied, so not yet published.
    write("a", "/two/**", 9001);
    ConfigSnapshot changed = a.read();
    assertThat(paths(changed)).containsExactly("/two/**");
    assertThat(b.version()).as("nothing published before it applies").isEqualTo(firstB.version());
    a.applied(changed.version());
    assertThat(a.version()).isEqualTo(changed.version());
    await().atMost(Duration.ofSeconds(5)).until(() -> bHeard.get() > 0);
    assertThat(b.version()).isNotEqualTo(firstB.version());
    ConfigSnapshot followed = b.read();
    assertThat(paths(followed)).containsExactly("/two/**");
    b.applied(followed.version());
    assertThat(b.version()).as("no reload loop").isEqualTo(followed.version());
    assertThat(b.clusterCopy().version()).isEqualTo(2);

    // A refused edit on b (not applied) is not published, and b's version stays put until its file changes again.
    write("b", "/three/**", 9002);
    ConfigSnapshot refused = b.read();
    assertThat(b.version()).isEqualTo(refused.version());
    assertThat(a.clusterCopy().version()).isEqualTo(2);
  }

  @Test
  void theSameSectionsInAnotherKeyOrderHashTheSame() {
    assertThat(SharedConfigSource.hash(new io.vertx.core.json.JsonObject("{\"a\":1,\"b\":{\"x\":[1,2],\"y\":true}}")))
        .isEqualTo(SharedConfigSource.hash(new io.vertx.core.json.JsonObject("{\"b\":{\"y\":true,\"x\":[1,2]},\"a\":1}")));
  }

  private SharedConfigSource source(String node, String map, String path, int port) throws Exception {
    write(node, path, port);
    return new SharedConfigSource(new FileConfigSource(dir.resolve(node + ".yaml"), loader), loader,
        member.getMap(map), node);
  }

  private void write(String node, String path, int port) throws Exception {
    Path file = dir.resolve(node + ".yaml");
    String before = Files.exists(file) ? Files.readString(file) : "";
    Files.writeString(file, """
        server: { port: %d }
        upstreams: { app: { targets: ["http://127.0.0.1:1"] } }
        routes:
          - { id: r, path: "%s", upstream: app }
        """.formatted(port, path));
    // The file source's version is its modification time and size: make sure a rewrite shows.
    if (before.length() == Files.size(file)) {
      Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(
          Files.getLastModifiedTime(file).toMillis() + 2000));
    }
  }

  private static List<String> paths(ConfigSnapshot snapshot) {
    assertThat(snapshot.problems()).isEmpty();
    return snapshot.config().routes().stream().map(RouteConfig::path).toList();
  }
}
