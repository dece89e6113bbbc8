// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.policy;

import java.util.List;

/**
 * A route's compiled chain, in request order, and where its runs report each policy's time. Immutable; built
 * once per configuration load.
 */
public record PolicyChain(List<ChainEntry> entries, PolicyTimings timings) {

  public static final PolicyChain EMPTY = new PolicyChain(List.of());

  public PolicyChain {
    entries = List.copyOf(entries);
  }

  /** A chain whose runs record no timings. */
  public PolicyChain(List<ChainEntry> entries) {
    this(entries, PolicyTimings.NONE);
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  public int size() {
    return entries.size();
  }

  public ChainEntry get(int index) {
    return entries.get(index);
  }
}
