// SPDX-License-Identifier: Apache-2.0
/**
 * The plugin test kit. Unit tests run a policy against a {@link io.sluice.gateway.testkit.FakeExchange} and a
 * {@link io.sluice.gateway.testkit.TestChain} with {@link io.sluice.gateway.testkit.PolicyHarness} (on a real
 * Vert.x event loop, no mocks); integration tests start a real gateway in-process with
 * {@link io.sluice.gateway.testkit.GatewayHarness} in front of a real {@link io.sluice.gateway.testkit.TestBackend}
 * (with {@code io.sluice:sluice-platform} on the test class path). {@link
 * io.sluice.gateway.testkit.InMemoryClusterServices} stands in for the cluster in unit tests, and {@link
 * io.sluice.gateway.testkit.ClusterServicesContract} is the test every cluster backend passes. The test kit
 * depends on the plugin API only.
 */
@NullMarked
package io.sluice.gateway.testkit;

import org.jspecify.annotations.NullMarked;
