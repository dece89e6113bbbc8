// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.policy;

import io.sluice.gateway.api.PolicyFactory;

/**
 * A policy factory and where it came from.
 *
 * @param source the providing plugin's id, or {@code builtin} for factories on the gateway's class path
 */
public record RegisteredFactory(PolicyFactory<?> factory, String source) {}
