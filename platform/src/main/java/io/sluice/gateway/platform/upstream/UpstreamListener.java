// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.upstream;

/**
 * The one point where upstream outcomes are reported (metrics and analytics listen here): every attempt's
 * outcome as it is recorded, and every ejection. Registered on the {@link UpstreamRegistry} at start. Called on
 * the thread that recorded the outcome (an event loop): must not block.
 */
public interface UpstreamListener {

  /** Listens to nothing. */
  UpstreamListener NONE = new UpstreamListener() {};

  /**
   * @param status the response status, 0 when there was no response (a connect failure, reset or timeout)
   * @param latencyNanos from the attempt's start to its outcome
   */
  default void attempted(String upstream, Target target, Outcome outcome, int status, long latencyNanos) {}

  /** {@code target} of {@code upstream} is ejected for {@code forNanos} after failing in a row. */
  default void ejected(String upstream, Target target, long forNanos) {}

  /**
   * {@code upstreams} serve from now on (a configuration was applied): make per-target meters for them and drop
   * those of targets no longer configured. Called on the reloading thread, before their first attempt.
   */
  default void serving(java.util.Collection<Upstream> upstreams) {}
}
