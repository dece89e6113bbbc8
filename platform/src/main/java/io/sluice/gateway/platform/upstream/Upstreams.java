// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.upstream;

import io.sluice.gateway.api.config.ConfigException;
import io.sluice.gateway.platform.config.TargetConfig;
import io.sluice.gateway.platform.config.UpstreamConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The upstreams of one configuration, by name, plus those made for routes that name a URL. */
public final class Upstreams {

  private final Map<String, Upstream> byName;

  private Upstreams(Map<String, Upstream> byName) {
    this.byName = byName;
  }

  /** Builds the named upstreams (their config records are valid by construction). */
  public static Upstreams compile(Map<String, UpstreamConfig> configs) {
    Map<String, Upstream> byName = new HashMap<>();
    configs.forEach(
        (name, config) -> {
          List<Target> targets = new ArrayList<>();
          for (TargetConfig t : config.targets()) {
            targets.add(Target.of(t.uri(), t.weight()));
          }
          byName.put(name, new Upstream(name, "", targets));
        });
    return new Upstreams(byName);
  }

  /**
   * Resolves a route's {@code upstream:} value: the name of an upstream, or a URL with an optional base path.
   *
   * @throws ConfigException with an empty path when it is neither
   */
  public Upstream resolve(String reference) {
    if (reference.contains("://")) {
      URI uri = urlUpstream(reference);
      String base = uri.getRawPath() == null ? "" : uri.getRawPath();
      if (base.endsWith("/")) {
        base = base.substring(0, base.length() - 1);
      }
      return new Upstream(reference, base, List.of(Target.of(uri, 1)));
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
