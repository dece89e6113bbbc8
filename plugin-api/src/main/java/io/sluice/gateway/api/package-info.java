// SPDX-License-Identifier: Apache-2.0
/**
 * The Sluice plugin API: the contract that policies and plugins compile against.
 *
 * <p>Everything in this package is public and kept source- and binary-compatible within a major version.
 * Types are non-null unless annotated {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.sluice.gateway.api;

import org.jspecify.annotations.NullMarked;
