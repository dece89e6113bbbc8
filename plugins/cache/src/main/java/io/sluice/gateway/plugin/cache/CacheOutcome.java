// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.cache;

/** How the cache handled one request, for its meters: decided where the answer is, never parsed back from text. */
enum CacheOutcome {
  /** Answered from a fresh entry. */
  HIT,
  /** Answered from a stale entry (stale-while-revalidate, stale-if-error, max-stale). */
  STALE,
  /** Sent upstream (a miss, a revalidation, a collapsed wait). */
  MISS,
  /** Not handled by the cache (method, Range, the bypass header). */
  BYPASS
}
