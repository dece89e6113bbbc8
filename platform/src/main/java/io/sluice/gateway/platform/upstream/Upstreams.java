// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.upstream;

import io.sluice.gateway.api.config.ConfigException;
import io.sluice.gateway.platform.config.TargetConfig;
import io.sluice.gateway.platform.config.UpstreamConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The upstreams of one configuration: the named ones, plus one per distinct URL that routes name directly
 * (an upstream with that single target and every default).
 */
public final class Upstreams {

  private final Map<String, Upstream> byName;
  private final Map<String, Upstream> byUrl = new LinkedHashMap<>();
  private final UpstreamRegistry registry;

  private Upstreams(Map<String, Upstream> byName, UpstreamRegistry registry) {
    this.byName = byName;
    this.registry = registry;
  }

  /**
   * Builds the named upstreams. Target states come from {@code registry}, so a target that stays in the
   * configuration keeps its health and latency.
   *
   * @throws ConfigException with the path below {@code upstreams} of the first bad field
   */
  public static Upstreams compile(Map<String, UpstreamConfig> configs, UpstreamRegistry registry) {
    List<ConfigException> errors = new ArrayList<>();
    Upstreams upstreams = compile(configs, registry, errors);
    if (!errors.isEmpty()) {
      throw errors.get(0);
    }
    return upstreams;
  }

  /** Builds the named upstreams, adding each bad one's error to {@code errors} and leaving it out. */
  public static Upstreams compile(Map<String, UpstreamConfig> configs, UpstreamRegistry registry, List<ConfigException> errors) {
    Map<String, Upstream> byName = new TreeMap<>();
    configs.forEach((name, config) -> {
      try {
        byName.put(name, registry.build(name, "", config));
      } catch (ConfigException e) {
        errors.add(e.at("upstreams." + name));
      }
    });
    return new Upstreams(byName, registry);
  }

  /** Every upstream: the named ones by name, then those made for URLs. */
  public Collection<Upstream> all() {
    List<Upstream> all = new ArrayList<>(byName.values());
    all.addAll(byUrl.values());
    return all;
  }

  /**
   * Resolves a route's {@code upstream:} value: the name of an upstream, or a URL with an optional base path.
   *
   * @throws ConfigException with an empty path when it is neither
   */
  public Upstream resolve(String reference) {
    if (reference.contains("://")) {
      Upstream known = byUrl.get(reference);
      if (known != null) {
        return known;
      }
      URI uri = urlUpstream(reference);
      String base = uri.getRawPath() == null ? "" : uri.getRawPath();
      if (base.endsWith("/")) {
        base = base.substring(0, base.length() - 1);
      }
      String origin = uri.getScheme() + "://" + uri.getRawAuthority();
      Upstream upstream = registry.build(reference, base, UpstreamConfig.of(TargetConfig.of(origin)));
      byUrl.put(reference, upstream);
      return upstream;
    }
    Upstream upstream = byName.get(reference);
    if (upstream == null) {
      throw new ConfigException("", "unknown upstream '" + reference + "'" + suggestion(reference));
    }
    return upstream;
  }

  private static URI urlUpstream(String reference) {
    try {
      URI uri = new URI(reference);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new ConfigException("", "'" + reference + "' must be an http:// or https:// URL with a host");
      }
      if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
        throw new ConfigException("", "'" + reference + "' must not have a query, fragment or credentials");
      }
      return uri;
    } catch (java.net.URISyntaxException e) {
      throw new ConfigException("", "'" + reference + "' is not a URL: " + e.getReason());
    }
  }

  private String suggestion(String reference) {
    String best = null;
    int bestDistance = 3;
    for (String name : byName.keySet()) {
      int d = editDistance(reference, name);
      if (d < bestDistance) {
        best = name;
        bestDistance = d;
      }
    }
    return best == null ? "" : " (did you mean '" + best + "'?)";
  }

  private static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
