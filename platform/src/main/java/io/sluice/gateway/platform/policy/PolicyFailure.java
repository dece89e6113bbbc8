// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.policy;

/**
 * A policy broke its contract or failed: threw, returned a failed future or null, did not complete in time,
 * or called {@code proceed()} twice. The exchange fails with 500 {@code POLICY_ERROR}; the message names the
 * policy and the route.
 */
public final class PolicyFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String policyType;

  PolicyFailure(String policyType, String routeId, String what, Throwable cause) {
    super("policy '" + policyType + "' on route '" + routeId + "' " + what, cause, false, true);
    this.policyType = policyType;
  }

  public String policyType() {
    return policyType;
  }
}
