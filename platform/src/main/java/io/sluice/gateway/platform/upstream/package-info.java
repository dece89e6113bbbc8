// SPDX-License-Identifier: Apache-2.0
/**
 * Upstreams: named groups of targets that routes send requests to, and how a target is picked for each
 * request.
 */
@NullMarked
package io.sluice.gateway.platform.upstream;

import org.jspecify.annotations.NullMarked;
