// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.upstream;

/**
 * One try of a request against one target, from {@link Upstream#begin} to {@link Upstream#end}. Used by the
 * one event loop that serves the request.
 */
public final class Attempt {

  final TargetState state;
  final int permit;
  final long startNanos;
  final int number;
  boolean recorded;
  boolean ended;

  Attempt(TargetState state, int permit, long startNanos, int number) {
    this.state = state;
    this.permit = permit;
    this.startNanos = startNanos;
    this.number = number;
  }

  public Target target() {
    return state.target();
  }

  /** 0 for the first try, 1 for the first retry, ... */
  public int number() {
    return number;
  }
}
