// SPDX-License-Identifier: Apache-2.0
/**
 * The {@code oauth2-introspection} policy: asks an OAuth 2.0 authorization server whether an opaque access
 * token is active (RFC 7662), with the gateway's web client and client credentials, caches the answers, and
 * sets the exchange's consumer from the introspection response.
 */
@NullMarked
package io.sluice.gateway.plugin.oauth2introspection;

import org.jspecify.annotations.NullMarked;
