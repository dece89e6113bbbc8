// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * A response to a {@link RouteUpstream} request, read whole.
 *
 * @param status the upstream's status code
 * @param headers its end-to-end headers (hop-by-hop ones removed), case-insensitive; the caller's to change
 * @param body the whole body (empty for {@code HEAD}, 204 and 304)
 */
public record UpstreamResponse(int status, MultiMap headers, Buffer body) {}
