// SPDX-License-Identifier: Apache-2.0
/**
 * Configuration values shared by the gateway and plugins: the error a config record throws when a value is
 * invalid, and value types (such as {@link io.sluice.gateway.api.config.ByteSize}) that the gateway binds
 * from the human-friendly forms users write in YAML ({@code "10MB"}, {@code "500ms"}).
 */
@NullMarked
package io.sluice.gateway.api.config;

import org.jspecify.annotations.NullMarked;
