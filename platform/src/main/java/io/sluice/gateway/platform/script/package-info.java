// SPDX-License-Identifier: Apache-2.0
/**
 * JavaScript policies on GraalJS ({@code type: script}): one shared engine, one sandboxed context per event
 * loop and script, a per-invocation time limit, and a small exchange API exposed as proxy objects (no host
 * access at all).
 */
@NullMarked
package io.sluice.gateway.platform.script;

import org.jspecify.annotations.NullMarked;
