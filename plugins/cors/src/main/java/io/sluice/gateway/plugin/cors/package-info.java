// SPDX-License-Identifier: Apache-2.0
/** The {@code cors} policy: answers CORS preflights and adds CORS headers to allowed cross-origin responses. */
@NullMarked
package io.sluice.gateway.plugin.cors;

import org.jspecify.annotations.NullMarked;
