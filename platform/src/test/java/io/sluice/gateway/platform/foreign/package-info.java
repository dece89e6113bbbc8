// SPDX-License-Identifier: Apache-2.0
/** Test classes that play a stranger's code, outside the platform's packages. */
@NullMarked
package io.sluice.gateway.platform.foreign;

import org.jspecify.annotations.NullMarked;
