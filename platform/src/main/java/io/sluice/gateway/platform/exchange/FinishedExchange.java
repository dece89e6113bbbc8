// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.exchange;

import org.jspecify.annotations.Nullable;

/**
 * One finished exchange, as every listener sees it: built once when the exchange ends (its last byte written,
 * or the client gone), immutable, made of strings and numbers only, so a listener may hand it to another thread.
 *
 * @param endEpochMillis wall-clock time the exchange ended
 * @param requestId the request id (the client's {@code X-Request-Id}, or one the gateway made)
 * @param route the route id, null when no route matched
 * @param method the method (for a head the edge refused: as far as it could be read)
 * @param path the normalised path, without the query string (for a refused head: the target as read)
 * @param status the status sent; 0 when no complete response was sent ({@code aborted})
 * @param error the key of the problem the gateway answered with, or why the exchange was cut short; null
 *     otherwise
 * @param bytesIn bytes read from the client for this request
 * @param bytesOut bytes written to the client
 * @param upstream {@code host:port} of the last upstream attempt, null without one
 * @param retries attempts after the first
 * @param latencyNanos from the request head to the end
 * @param upstreamLatencyNanos the last attempt's time until its response head; -1 without one
 * @param client the peer's address, null when the transport has none
 * @param userAgent the client's {@code User-Agent} (at most 256 characters), null without one
 * @param aborted true when the exchange ended without a complete response
 * @param consumer the id of the consumer the request was authenticated as, null when none was
 * @param traceId the W3C trace id (32 lowercase hex digits) the exchange ran under, null when tracing is off
 * @param cacheStatus the response's {@code Cache-Status} (RFC 9211; the cache policy sets it), null without one,
 *     and null when no listener {@linkplain ExchangeListener#readsResponseHeaders reads it}
 * @param rateLimitRemaining the response's {@code RateLimit-Remaining} (the rate-limit policy sets it), null
 *     without one, and null when no listener {@linkplain ExchangeListener#readsResponseHeaders reads it}
 */
public record FinishedExchange(
    long endEpochMillis,
    String requestId,
    @Nullable String route,
    String method,
    String path,
    int status,
    @Nullable String error,
    long bytesIn,
    long bytesOut,
    @Nullable String upstream,
    int retries,
    long latencyNanos,
    long upstreamLatencyNanos,
    @Nullable String client,
    @Nullable String userAgent,
    boolean aborted,
    @Nullable String consumer,
    @Nullable String traceId,
    @Nullable String cacheStatus,
    @Nullable String rateLimitRemaining) {}
