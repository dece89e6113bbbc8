// SPDX-License-Identifier: Apache-2.0
/**
 * The {@code headers} policy: add, set, remove and rename request and response headers, with values from
 * templates over request data ({@code ${request.id}}, {@code ${consumer.id}}, {@code ${path.id}}, ...).
 */
@NullMarked
package io.sluice.gateway.plugin.headers;

import org.jspecify.annotations.NullMarked;
