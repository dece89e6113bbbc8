// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How an upstream spreads requests over its targets; docs/upstreams.md says when to pick which. */
public enum BalancerKind {
  /** Smooth weighted round-robin (nginx's): exact shares by weight, interleaved. The default. */
  @JsonProperty("round-robin")
  ROUND_ROBIN("round-robin"),
  /** The target with the fewest requests in flight per unit of weight. */
  @JsonProperty("least-in-flight")
  LEAST_IN_FLIGHT("least-in-flight"),
  /** A hash ring with virtual nodes over a request key: the same key goes to the same target. */
  @JsonProperty("consistent-hash")
  CONSISTENT_HASH("consistent-hash"),
  /** Power of two random choices, the one with the lower peak-EWMA latency times requests in flight. */
  @JsonProperty("least-latency")
  LEAST_LATENCY("least-latency");

  private final String configName;

  BalancerKind(String configName) {
    this.configName = configName;
  }

  @Override
  public String toString() {
    return configName;
  }
}
