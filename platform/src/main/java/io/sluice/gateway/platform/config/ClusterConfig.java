// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where the state behind the plugins' cluster facade ({@code api.cluster}) lives. Read at start only.
 *
 * @param backend {@code local} (the default: in this JVM, nothing else needed); a Hazelcast backend follows
 */
public record ClusterConfig(Backend backend) {

  /** The implementations of the cluster facade. */
  public enum Backend {
    /** In memory, in this JVM: a single node. */
    @JsonProperty("local")
    LOCAL
  }

  public ClusterConfig {
    backend = backend != null ? backend : Backend.LOCAL;
  }

  public static ClusterConfig defaults() {
    return new ClusterConfig(null);
  }
}
