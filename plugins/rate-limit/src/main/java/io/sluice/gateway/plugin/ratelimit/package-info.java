// SPDX-License-Identifier: Apache-2.0
/**
 * The {@code rate-limit} policy: fixed-window, sliding-window and token-bucket limits by consumer, client
 * address, header, route or exchange attribute, several per route, per node ({@code scope: local}) or across
 * the cluster ({@code scope: cluster}, on leases taken with {@code Counters.take}). The design and the proof of
 * the cluster bound are in {@code docs/rate-limiting.md}.
 */
@NullMarked
package io.sluice.gateway.plugin.ratelimit;

import org.jspecify.annotations.NullMarked;
