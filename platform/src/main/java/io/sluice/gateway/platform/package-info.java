// SPDX-License-Identifier: Apache-2.0
/**
 * The gateway process: {@link io.sluice.gateway.platform.SluiceMain} (the launcher), {@link
 * io.sluice.gateway.platform.Gateway} (start, reload, graceful shutdown) and the per-event-loop
 * {@link io.sluice.gateway.platform.GatewayVerticle}.
 */
@NullMarked
package io.sluice.gateway.platform;

import org.jspecify.annotations.NullMarked;
