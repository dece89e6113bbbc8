// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.edge;

/**
 * Why the edge refused a request: the status and stable key of the problem answer, and a detail for the
 * client. A value, not an exception: refusals are expected, and cost no stack trace.
 */
public record Refusal(int status, String key, String detail) {

  static Refusal badRequest(String key, String detail) {
    return new Refusal(400, key, detail);
  }
}
