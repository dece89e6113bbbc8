// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api;

/** The configuration type of a policy that takes no settings: any key in its {@code config:} is an error. */
public record NoConfig() {}
