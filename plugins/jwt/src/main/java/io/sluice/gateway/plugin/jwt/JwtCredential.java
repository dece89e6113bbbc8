// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.jwt;

import io.sluice.gateway.api.config.ConfigException;
import org.jspecify.annotations.Nullable;

/**
 * A consumer's {@code jwt} credential, used with {@code consumerFrom: credentials}:
 *
 * <pre>{@code
 * consumers:
 *   - id: billing-service
 *     credentials:
 *       jwt: [ { issuer: "https://sso.example.com/realms/acme", subject: "service-account-billing" } ]
 *   - id: partner-a
 *     credentials:
 *       jwt: [ { issuer: "partner-a", kid: "partner-a-2026" } ]
 * }</pre>
 *
 * @param issuer the token's {@code iss}, exactly
 * @param subject the token's {@code sub}, exactly; or
 * @param kid the id of the key that verified the token (a key this consumer alone signs with)
 */
public record JwtCredential(String issuer, @Nullable String subject, @Nullable String kid) {

  public JwtCredential {
    if (issuer == null || issuer.isEmpty()) {
      throw new ConfigException("issuer", "is required");
    }
    if ((subject == null) == (kid == null)) {
      throw new ConfigException("", "needs exactly one of subject or kid");
    }
  }
}
