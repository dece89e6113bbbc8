// SPDX-License-Identifier: Apache-2.0
/**
 * The gateway's configuration file ({@code conf/sluice.yaml}): immutable records bound with Jackson, the loader
 * that reads and validates them (every error names the path of the bad field), and the watcher that reloads
 * the file when it changes. Defaults live in the records' compact constructors and nowhere else.
 */
@NullMarked
package io.sluice.gateway.platform.config;

import org.jspecify.annotations.NullMarked;
