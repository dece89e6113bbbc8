// SPDX-License-Identifier: Apache-2.0
/**
 * PF4J wiring: loads plugin jars and zips from the plugins directory, checks {@code Plugin-Requires} against
 * the platform version, and turns their {@link io.sluice.gateway.api.PolicyFactory} extensions (and those on
 * the gateway's own class path) into a {@link io.sluice.gateway.platform.policy.PolicyRegistry}.
 */
@NullMarked
package io.sluice.gateway.platform.plugin;

import org.jspecify.annotations.NullMarked;
