// SPDX-License-Identifier: Apache-2.0
/**
 * The configured consumers as policies see them ({@link io.sluice.gateway.api.auth.Consumers}), built from the
 * configuration's {@code consumers:} for each load, and the consumer headers sent upstream.
 */
@NullMarked
package io.sluice.gateway.platform.consumer;

import org.jspecify.annotations.NullMarked;
