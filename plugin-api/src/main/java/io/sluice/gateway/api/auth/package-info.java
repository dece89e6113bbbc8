// SPDX-License-Identifier: Apache-2.0
/**
 * The configured consumers and their credentials, as authentication policies read them: {@link
 * io.sluice.gateway.api.auth.Consumers} from {@link io.sluice.gateway.api.PolicyContext#consumers()}. The
 * authenticated caller of an exchange is an {@link io.sluice.gateway.api.Consumer}, set with {@link
 * io.sluice.gateway.api.Exchange#consumer(io.sluice.gateway.api.Consumer)}; the gateway then sends it to the
 * upstream in consumer headers (and always removes the client's own copies of them first).
 */
@NullMarked
package io.sluice.gateway.api.auth;

import org.jspecify.annotations.NullMarked;
