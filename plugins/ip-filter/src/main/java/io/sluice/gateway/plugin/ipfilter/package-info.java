// SPDX-License-Identifier: Apache-2.0
/**
 * The {@code ip-filter} policy: allow and deny lists of IPv4/IPv6 ranges, with the client address taken from
 * {@code X-Forwarded-For} only behind configured trusted proxies.
 */
@NullMarked
package io.sluice.gateway.plugin.ipfilter;

import org.jspecify.annotations.NullMarked;
