// SPDX-License-Identifier: Apache-2.0
/**
 * The {@code ip-filter} policy: allow and deny lists of IPv4/IPv6 ranges over the client address the gateway
 * resolves through its trusted proxies ({@code Request.clientAddress()}).
 */
@NullMarked
package io.sluice.gateway.plugin.ipfilter;

import org.jspecify.annotations.NullMarked;
