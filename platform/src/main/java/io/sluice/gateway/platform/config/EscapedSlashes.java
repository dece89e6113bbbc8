// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

/**
 * What the gateway does with {@code %2F} and {@code %5C} (an escaped {@code /} or {@code \}) in a request
 * path. Upstreams disagree on whether these separate segments, which is how {@code /public%2F..%2Fadmin}
 * slips past path-based rules; Envoy's edge guidance is to never pass them on ambiguously.
 */
public enum EscapedSlashes {
  /** Refuse the request with 400 {@code PATH_ESCAPED_SLASH}. The default. */
  REJECT,
  /** Leave them escaped: they are part of a segment for routing, and the upstream sees {@code %2F}. */
  KEEP,
  /** Decode them into separators before routing; the upstream sees the decoded path. */
  DECODE
}
