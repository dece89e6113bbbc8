// SPDX-License-Identifier: Apache-2.0
/**
 * HTTP edge concerns shared by the proxy and the admin API: problem+json error responses, request ids,
 * header-name screening, trusted-proxy address ranges and the connection limit.
 */
@NullMarked
package io.sluice.gateway.platform.http;

import org.jspecify.annotations.NullMarked;
