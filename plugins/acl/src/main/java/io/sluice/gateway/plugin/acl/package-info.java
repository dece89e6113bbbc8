// SPDX-License-Identifier: Apache-2.0
/** {@code acl}: allows or denies the authenticated consumer by its groups. */
@NullMarked
package io.sluice.gateway.plugin.acl;

import org.jspecify.annotations.NullMarked;
