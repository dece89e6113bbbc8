// SPDX-License-Identifier: Apache-2.0
/**
 * Liveness and readiness: the unauthenticated health listener ({@code /health/live}, {@code /health/ready}) and
 * the readiness conditions that the rest of the gateway reports into.
 */
@NullMarked
package io.sluice.gateway.platform.health;

import org.jspecify.annotations.NullMarked;
