// SPDX-License-Identifier: Apache-2.0
/**
 * The reverse proxy: per-request flow from the client request to the upstream and back, streaming both
 * bodies with back-pressure, cleaning hop-by-hop headers, adding forwarding headers, enforcing timeouts and
 * mapping upstream failures to problem responses.
 */
@NullMarked
package io.sluice.gateway.platform.proxy;

import org.jspecify.annotations.NullMarked;
