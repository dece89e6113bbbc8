// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api;

/**
 * The coarse position of a policy in a chain. A route's chain is ordered by stage, then by the order the
 * policies are listed in the configuration (global policies before route policies). A policy's factory names
 * its default stage; a route entry can put it in any other ({@code stage: transform}). The request path runs
 * from {@link #SCREEN} to {@link #CACHE}, the response path back.
 */
public enum Stage {
  /** Cheap refusals before anything else: IP filters, size limits, CORS preflight. */
  SCREEN,
  /** Who is calling: API keys, JWT, mTLS identity; sets {@link Exchange#consumer()}. */
  AUTHENTICATE,
  /** Whether the caller may do this: ACLs, scopes. */
  AUTHORIZE,
  /** How much the caller may do: rate limits, quotas, concurrency limits. */
  LIMIT,
  /** Changing the request and response: headers, paths, bodies, scripts. */
  TRANSFORM,
  /** Closest to the upstream: answering from a cache instead of calling it. */
  CACHE
}
