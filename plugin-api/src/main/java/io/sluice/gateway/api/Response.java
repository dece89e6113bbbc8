// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api;

import io.vertx.core.MultiMap;

/**
 * The response on its way to the client. Before the upstream answers it is empty (status 200, no headers);
 * a policy that answers itself fills it in.
 */
public interface Response {

  int status();

  void status(int status);

  /** Response headers; changes here are what the client receives. */
  MultiMap headers();

  /** The response body: streamed from the upstream unless a policy asks for it in full or replaces it. */
  Body body();
}
