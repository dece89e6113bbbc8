// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.policy;

/**
 * Told when each policy of a {@link ChainRun} is entered and when its future completes, for per-policy spans
 * (docs/observability.md#tracing). Set on a run only when the exchange's trace is recorded; a run without it
 * makes no call. Event-loop confined; must not block.
 */
public interface ChainSpans {

  /** The policy at {@code index} (of type {@code type}) is about to be applied. */
  void policyEntered(int index, String type);

  /** The future of the policy at {@code index} completed, failed or not. */
  void policyLeft(int index, boolean failed);
}
