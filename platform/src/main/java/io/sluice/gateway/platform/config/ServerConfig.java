// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import io.sluice.gateway.api.config.ByteSize;
import io.sluice.gateway.api.config.ConfigException;
import java.time.Duration;
import java.util.List;

/**
 * The proxy listener. The defaults follow Envoy's edge-proxy best practices: bounded headers and bodies,
 * idle timeouts, a connection limit, 100 concurrent HTTP/2 streams per connection, forwarding headers from
 * clients not trusted, merged slashes and escaped slashes refused.
 *
 * <p>{@code lingerTimeout} bounds how long a connection closed while its client is still sending a body is
 * drained before it is closed (nginx's {@code lingering_close}; see {@link
 * io.sluice.gateway.platform.edge.Http1Guard}).
 *
 * <p>{@code consumerHeaders} names the headers that carry the authenticated consumer to the upstream.
 *
 * <p>Components are boxed so that an absent key can be told from an explicit value; after construction none
 * is null.
 */
public record ServerConfig(
    String host,
    Integer port,
    Integer eventLoops,
    Integer maxConnections,
    ByteSize maxHeaderSize,
    Integer maxUriLength,
    ByteSize maxBodySize,
    Duration idleTimeout,
    Duration shutdownGrace,
    Integer http2MaxConcurrentStreams,
    List<String> trustedProxies,
    Boolean mergeSlashes,
    EscapedSlashes escapedSlashes,
    Duration headersTimeout,
    Integer maxHeaderCount,
    List<String> allowedMethods,
    Boolean http2Cleartext,
    PathParameters pathParameters,
    Boolean rejectDoubleEncoding,
    Boolean rejectInvalidUtf8,
    ConsumerHeadersConfig consumerHeaders,
    Duration lingerTimeout) {

  /** The methods accepted by default: RFC 9110's, and PATCH, without TRACE and CONNECT. */
  public static final List<String> DEFAULT_METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH");

  @SuppressWarnings("NullAway")
  public ServerConfig {
    host = host != null ? host : "0.0.0.0";
    port = port != null ? port : 8080;
    eventLoops = eventLoops != null ? eventLoops : 0;
    maxConnections = maxConnections != null ? maxConnections : 10_000;
    maxHeaderSize = maxHeaderSize != null ? maxHeaderSize : ByteSize.ofKilobytes(16);
    maxUriLength = maxUriLength != null ? maxUriLength : 8192;
    maxBodySize = maxBodySize != null ? maxBodySize : ByteSize.ofMegabytes(10);
    idleTimeout = idleTimeout != null ? idleTimeout : Duration.ofSeconds(60);
    shutdownGrace = shutdownGrace != null ? shutdownGrace : Duration.ofSeconds(30);
    http2MaxConcurrentStreams = http2MaxConcurrentStreams != null ? http2MaxConcurrentStreams : 100;
    trustedProxies = trustedProxies != null ? List.copyOf(trustedProxies) : List.of();
    mergeSlashes = mergeSlashes != null ? mergeSlashes : true;
    escapedSlashes = escapedSlashes != null ? escapedSlashes : EscapedSlashes.REJECT;
    headersTimeout = headersTimeout != null ? headersTimeout : Duration.ofSeconds(10);
    maxHeaderCount = maxHeaderCount != null ? maxHeaderCount : 100;
    allowedMethods = allowedMethods != null ? List.copyOf(allowedMethods) : DEFAULT_METHODS;
    http2Cleartext = http2Cleartext != null ? http2Cleartext : false;
    pathParameters = pathParameters != null ? pathParameters : PathParameters.REJECT_ON_DOT_SEGMENTS;
    rejectDoubleEncoding = rejectDoubleEncoding != null ? rejectDoubleEncoding : true;
    rejectInvalidUtf8 = rejectInvalidUtf8 != null ? rejectInvalidUtf8 : true;
    consumerHeaders = consumerHeaders != null ? consumerHeaders : ConsumerHeadersConfig.defaults();
    lingerTimeout = lingerTimeout != null ? lingerTimeout : Duration.ofSeconds(2);

    if (port < 0 || port > 65535) {
      throw new ConfigException("port", "must be 0..65535");
    }
    if (eventLoops < 0) {
      throw new ConfigException("eventLoops", "must be >= 0 (0 means one per core)");
    }
    if (maxConnections <= 0) {
      throw new ConfigException("maxConnections", "must be > 0");
    }
    if (maxHeaderSize.bytes() < 1024 || maxHeaderSize.bytes() > 1024 * 1024) {
      throw new ConfigException("maxHeaderSize", "must be between 1KB and 1MB");
    }
    if (maxUriLength < 256) {
      throw new ConfigException("maxUriLength", "must be at least 256");
    }
    Durations.requirePositive("idleTimeout", idleTimeout);
    if (shutdownGrace.isNegative()) {
      throw new ConfigException("shutdownGrace", "must not be negative");
    }
    if (http2MaxConcurrentStreams <= 0) {
      throw new ConfigException("http2MaxConcurrentStreams", "must be > 0");
    }
    Durations.requirePositive("headersTimeout", headersTimeout);
    if (maxHeaderCount < 1 || maxHeaderCount > 10_000) {
      throw new ConfigException("maxHeaderCount", "must be between 1 and 10000");
    }
    if (allowedMethods.isEmpty()) {
      throw new ConfigException("allowedMethods", "must list at least one method");
    }
    for (String m : allowedMethods) {
      if (m == null || m.isEmpty() || !m.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || c == '-' || c == '_')) {
        throw new ConfigException("allowedMethods", "'" + m + "' is not an upper-case method name");
      }
    }
  }

  public static ServerConfig defaults() {
    return new ServerConfig(
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null);
  }

  /** The number of event loops (and proxy verticles) to run: {@code eventLoops}, or one per core. */
  public int effectiveEventLoops() {
    return eventLoops > 0 ? eventLoops : Runtime.getRuntime().availableProcessors();
  }
}
