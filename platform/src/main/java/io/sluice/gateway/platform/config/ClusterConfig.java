// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.sluice.gateway.api.config.ConfigException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where the state behind the plugins' cluster facade ({@code api.cluster}) lives, and, with {@code backend:
 * hazelcast}, how this node finds the others. Read at start only. The default, {@code local}, starts no
 * member and needs nothing else; every other field is ignored then.
 *
 * <pre>{@code
 * cluster:
 *   backend: hazelcast
 *   name: sluice-prod            # nodes join only a cluster of the same name
 *   host: 10.0.0.5               # the address this member binds and tells the others
 *   port: 5701
 *   members: [10.0.0.5, 10.0.0.6:5701, 10.0.0.7]   # TCP-IP join (the default way)
 * }</pre>
 *
 * @param backend {@code local} (the default: in this JVM) or {@code hazelcast} (an embedded member per node)
 * @param name the cluster's name; members of other names are not joined
 * @param host the IP address the member binds to and advertises (default {@code 127.0.0.1}); not a wildcard
 * @param port the member's port (default 5701); the next free one of the following 100 when it is taken and
 *     {@code portAutoIncrement} is on
 * @param portAutoIncrement whether to try the next ports when {@code port} is taken (default true)
 * @param members other members to join over TCP-IP, {@code host} or {@code host:port}; may list this node too
 * @param multicast join by multicast on the local network instead of (or besides) {@code members} (default off)
 * @param kubernetes Hazelcast's Kubernetes discovery (off by default)
 * @param backupCount synchronous backups of each entry on other members (default 1, 0..6): losing that many
 *     members at once loses nothing
 * @param cacheEntries when set, the most entries each Hazelcast member keeps for the facade's caches (all caches
 *     together) in place of the heap bound: then entries × largest entry × (1 + backups) must fit the heap;
 *     unset (the default), the caches are bounded by {@code cacheMemory}, and this caps only the near cache
 * @param cacheMemory the share of the heap ({@code Runtime.maxMemory()}), in percent, that each node's caches may
 *     use: owned entries, backups and near cache together (Hazelcast), or the local store (default 25, 1..80)
 */
public record ClusterConfig(
    Backend backend,
    String name,
    String host,
    Integer port,
    Boolean portAutoIncrement,
    List<String> members,
    Boolean multicast,
    Kubernetes kubernetes,
    Integer backupCount,
    @Nullable Integer cacheEntries,
    Integer cacheMemory) {

  /** The implementations of the cluster facade. */
  public enum Backend {
    /** In memory, in this JVM: a single node. */
    @JsonProperty("local")
    LOCAL,
    /** An embedded Hazelcast member in each node: the nodes share state and configuration. */
    @JsonProperty("hazelcast")
    HAZELCAST
  }

  /**
   * Hazelcast's own Kubernetes discovery (the pods of a service, through the Kubernetes API or DNS).
   *
   * @param enabled whether to use it (default false); exclusive with {@code members} and {@code multicast}
   * @param namespace the pods' namespace (default: the pod's own)
   * @param serviceName the service whose endpoints are the members (API mode)
   * @param serviceDns a headless service's DNS name (DNS mode, needs no API rights); exclusive with
   *     {@code serviceName}
   */
  public record Kubernetes(
      Boolean enabled, @Nullable String namespace, @Nullable String serviceName, @Nullable String serviceDns) {

    public Kubernetes {
      enabled = enabled != null ? enabled : false;
      if (serviceName != null && serviceDns != null) {
        throw new ConfigException("serviceDns", "set serviceName (API discovery) or serviceDns (DNS discovery), not both");
      }
    }

    public static Kubernetes defaults() {
      return new Kubernetes(null, null, null, null);
    }
  }

  public ClusterConfig {
    backend = backend != null ? backend : Backend.LOCAL;
    name = name != null ? name : "sluice";
    host = host != null ? host : "127.0.0.1";
    port = port != null ? port : 5701;
    portAutoIncrement = portAutoIncrement != null ? portAutoIncrement : true;
    members = members != null ? List.copyOf(members) : List.of();
    multicast = multicast != null ? multicast : false;
    kubernetes = kubernetes != null ? kubernetes : Kubernetes.defaults();
    backupCount = backupCount != null ? backupCount : 1;
    cacheMemory = cacheMemory != null ? cacheMemory : 25;
    if (name.isBlank()) {
      throw new ConfigException("name", "must not be blank");
    }
    if (host.isBlank()) {
      throw new ConfigException("host", "must not be blank");
    }
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      throw new ConfigException("host", "must be this machine's IP address that the other members reach, not a wildcard");
    }
    if (port < 1 || port > 65535) {
      throw new ConfigException("port", "must be 1..65535");
    }
    for (int i = 0; i < members.size(); i++) {
      requireMember(members.get(i), "members[" + i + "]");
    }
    if (backupCount < 0 || backupCount > 6) {
      throw new ConfigException("backupCount", "must be 0..6");
    }
    if (cacheEntries != null && cacheEntries < 1) {
      throw new ConfigException("cacheEntries", "must be at least 1");
    }
    if (cacheMemory < 1 || cacheMemory > 80) {
      throw new ConfigException("cacheMemory", "must be 1..80 (percent of the heap)");
    }
    if (kubernetes.enabled() && (!members.isEmpty() || multicast)) {
      throw new ConfigException("kubernetes.enabled", "Kubernetes discovery replaces members and multicast: use one way to join");
    }
  }

  private static void requireMember(@Nullable String member, String path) {
    if (member == null || member.isBlank()) {
      throw new ConfigException(path, "must be host or host:port");
    }
    int colon = member.lastIndexOf(':');
    if (colon >= 0 && member.indexOf(':') == colon) {
      String port = member.substring(colon + 1);
      int p;
      try {
        p = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        throw new ConfigException(path, "'" + port + "' is not a port");
      }
      if (p < 1 || p > 65535 || colon == 0) {
        throw new ConfigException(path, "must be host or host:port with a port in 1..65535");
      }
    }
  }

  /** Whether this node runs a cluster member. */
  public boolean clustered() {
    return backend == Backend.HAZELCAST;
  }

  public static ClusterConfig defaults() {
    return new ClusterConfig(null, null, null, null, null, null, null, null, null, null, null);
  }
}
