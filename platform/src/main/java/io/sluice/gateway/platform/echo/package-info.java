// SPDX-License-Identifier: Apache-2.0
/** The built-in echo upstream behind the demo route. */
@NullMarked
package io.sluice.gateway.platform.echo;

import org.jspecify.annotations.NullMarked;
