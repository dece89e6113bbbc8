// SPDX-License-Identifier: Apache-2.0
/** {@code key-auth}: authenticates a consumer by an API key in a header or query parameter. */
@NullMarked
package io.sluice.gateway.plugin.keyauth;

import org.jspecify.annotations.NullMarked;
