// SPDX-License-Identifier: Apache-2.0
/** Network value types for policies: IP address ranges. */
@NullMarked
package io.sluice.gateway.api.net;

import org.jspecify.annotations.NullMarked;
