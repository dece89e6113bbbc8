// SPDX-License-Identifier: Apache-2.0
/**
 * The admin API: a separate listener, on 127.0.0.1 by default, that requires a bearer token on every call.
 */
@NullMarked
package io.sluice.gateway.platform.admin;

import org.jspecify.annotations.NullMarked;
