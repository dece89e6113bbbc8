// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.jwt;

/** Where the consumer of a verified token comes from. */
public enum ConsumerSource {
  /** Built from the token's claims: id from {@code consumerClaim}, groups and scopes from theirs. */
  CLAIMS,
  /**
   * One of the configured consumers, found by its {@code jwt} credential ({@link JwtCredential}): issuer and
   * subject, or issuer and the id of the key that signed the token. A token matching none is refused.
   */
  CREDENTIALS
}
