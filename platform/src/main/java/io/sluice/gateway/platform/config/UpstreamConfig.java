// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import io.sluice.gateway.api.config.ConfigException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A named group of upstream targets that routes refer to by name, and how requests are spread over them,
 * checked, retried and timed out. See docs/upstreams.md.
 *
 * @param balancer how a target is picked for each request
 * @param hashOn the key of {@code consistent-hash}: {@code client-ip} (the default), {@code path},
 *     {@code header:NAME} or {@code cookie:NAME}
 * @param tls verification of {@code https://} targets
 * @param healthCheck active probes; none when absent
 * @param outlierDetection passive ejection of failing targets (on by default)
 * @param circuitBreaker a failure-rate breaker per target; none when absent
 * @param retries when failed requests are tried again
 * @param timeouts defaults for the routes using this upstream (a route's own values win)
 */
public record UpstreamConfig(
    List<TargetConfig> targets,
    BalancerKind balancer,
    @Nullable String hashOn,
    UpstreamTlsConfig tls,
    @Nullable HealthCheckConfig healthCheck,
    OutlierDetectionConfig outlierDetection,
    @Nullable CircuitBreakerConfig circuitBreaker,
    RetryConfig retries,
    TimeoutsConfig timeouts) {

  public UpstreamConfig {
    if (targets == null || targets.isEmpty()) {
      throw new ConfigException("targets", "must list at least one target");
    }
    targets = List.copyOf(targets);
    balancer = balancer != null ? balancer : BalancerKind.ROUND_ROBIN;
    tls = tls != null ? tls : UpstreamTlsConfig.defaults();
    outlierDetection = outlierDetection != null ? outlierDetection : OutlierDetectionConfig.defaults();
    retries = retries != null ? retries : RetryConfig.defaults();
    timeouts = timeouts != null ? timeouts : TimeoutsConfig.defaults();
    if (hashOn != null && balancer != BalancerKind.CONSISTENT_HASH) {
      throw new ConfigException("hashOn", "only applies to balancer: consistent-hash");
    }
    if (balancer == BalancerKind.CONSISTENT_HASH) {
      hashOn = hashOn != null ? hashOn : "client-ip";
      checkHashOn(hashOn);
    }
    if (timeouts.setsPolicy()) {
      throw new ConfigException("timeouts.policy", "is a route setting, not an upstream one");
    }
  }

  /** An upstream with one target and every default: what a route's {@code upstream: <url>} stands for. */
  public static UpstreamConfig of(TargetConfig target) {
    return new UpstreamConfig(List.of(target), null, null, null, null, null, null, null, null);
  }

  private static void checkHashOn(String hashOn) {
    boolean named = (hashOn.startsWith("header:") && hashOn.length() > "header:".length())
        || (hashOn.startsWith("cookie:") && hashOn.length() > "cookie:".length());
    if (!named && !hashOn.equals("client-ip") && !hashOn.equals("path")) {
      throw new ConfigException("hashOn", "'" + hashOn + "' must be client-ip, path, header:NAME or cookie:NAME");
    }
  }
}
