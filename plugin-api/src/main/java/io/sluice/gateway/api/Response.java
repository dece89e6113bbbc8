// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api;

import io.vertx.core.MultiMap;

/**
 * The response on its way to the client. Before the upstream answers it is empty (status 200, no headers);
 * after {@link Policy.Chain#proceed()} completes it holds the upstream's status and headers. A policy that
 * answers itself fills it in instead of proceeding.
 *
 * <p>Confined to the exchange's event loop, like its {@link Exchange}; no accessor blocks.
 */
public interface Response {

  /** The status the client will receive: 200 until the upstream answers or a policy sets one. */
  int status();

  /**
   * Sets the status the client receives. Before proceeding this means the policy answers itself and the
   * upstream is not called.
   *
   * @throws IllegalArgumentException when {@code status} is not 100..599
   */
  void status(int status);

  /**
   * Response headers, case-insensitive; changes here are what the client receives. Hop-by-hop headers of the
   * upstream are already gone. Changes after the head has been written to the client have no effect.
   */
  MultiMap headers();

  /**
   * The response body: streamed from the upstream unless a policy asks for it in full or replaces it. Before
   * {@code proceed()} completes there is none: {@link Body#buffer(long)} then gives an empty buffer.
   */
  Body body();
}
