// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.jwt;

import io.sluice.gateway.api.Consumer;
import java.util.List;
import java.util.Map;

/**
 * What a verified token yields: the consumer, the upstream headers mapped from its claims, the key that
 * verified it (a cached token is refused once a JWKS refresh drops that key) and until when it is valid
 * (epoch millis, clock skew included).
 */
record Verified(Consumer consumer, List<Map.Entry<String, String>> headers, VerificationKey key, boolean fromJwks,
    long validUntil) {}
