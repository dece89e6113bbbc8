// SPDX-License-Identifier: Apache-2.0
/**
 * The access log: one JSON line per exchange, formatted on the event loop and written in batches by a
 * background thread, so that a slow disk or terminal never stalls request handling.
 */
@NullMarked
package io.sluice.gateway.platform.accesslog;

import org.jspecify.annotations.NullMarked;
