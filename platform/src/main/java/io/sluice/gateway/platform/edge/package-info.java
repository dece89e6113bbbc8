// SPDX-License-Identifier: Apache-2.0
/**
 * The HTTP/1 edge: a strict parser of request framing in front of Netty's decoder ({@link
 * io.sluice.gateway.platform.edge.Http1Guard}). It decides each request's body length once (RFC 9112 §6.3),
 * refuses what is ambiguous, and times out slow request heads. See docs/security.md.
 */
@NullMarked
package io.sluice.gateway.platform.edge;

import org.jspecify.annotations.NullMarked;
