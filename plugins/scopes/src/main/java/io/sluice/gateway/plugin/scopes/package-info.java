// SPDX-License-Identifier: Apache-2.0
/** {@code scopes}: requires scopes granted to the authenticated consumer's credential. */
@NullMarked
package io.sluice.gateway.plugin.scopes;

import org.jspecify.annotations.NullMarked;
