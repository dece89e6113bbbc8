// SPDX-License-Identifier: Apache-2.0
/**
 * The {@code request-size-limit} policy: refuses request bodies above a size with 413 {@code BODY_TOO_LARGE},
 * before reading them when {@code Content-Length} says so, and as soon as the limit is passed for chunked
 * bodies.
 */
@NullMarked
package io.sluice.gateway.plugin.requestsizelimit;

import org.jspecify.annotations.NullMarked;
