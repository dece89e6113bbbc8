// SPDX-License-Identifier: Apache-2.0
/**
 * The {@code jwt} policy: verifies a signed JWT (RFC 7519) from inline keys or a JWKS URL with Nimbus JOSE+JWT
 * (shaded into the plugin jar), checks its time and audience claims, and sets the exchange's consumer from
 * its claims or from a configured consumer's {@code jwt} credential. Verified tokens are cached briefly so
 * that a repeated token skips the signature check.
 */
@NullMarked
package io.sluice.gateway.plugin.jwt;

import org.jspecify.annotations.NullMarked;
