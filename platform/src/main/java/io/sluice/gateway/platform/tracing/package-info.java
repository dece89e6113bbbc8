// SPDX-License-Identifier: Apache-2.0
/**
 * Tracing: W3C Trace Context ({@code traceparent}) taken strictly or created, passed upstream with the
 * gateway's own span as parent, and the spans of sampled exchanges (a server span, a client span per upstream
 * attempt, a span per policy) exported over OTLP/HTTP JSON by a background thread. Off by default: then the
 * proxy holds no {@link io.sluice.gateway.platform.tracing.Tracing} and makes no call here.
 */
@NullMarked
package io.sluice.gateway.platform.tracing;

import org.jspecify.annotations.NullMarked;
