// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.policy;

import java.util.List;

/** A route's compiled chain, in request order. Immutable; built once per configuration load. */
public record PolicyChain(List<ChainEntry> entries) {

  public static final PolicyChain EMPTY = new PolicyChain(List.of());

  public PolicyChain {
    entries = List.copyOf(entries);
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
