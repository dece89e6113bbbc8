// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.cache;

import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.api.Exchange;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The cache key of a request (its primary key, RFC 9111 §4): method (GET and HEAD share it), host, path, the
 * query or the configured subset of it, the configured headers, the consumer; and the secondary keys of
 * {@code Vary} (§4.1). Parts are separated by NUL, which no part can contain.
 */
final class CacheKeys {

  private final CacheConfig config;

  CacheKeys(CacheConfig config) {
    this.config = config;
  }

  String primary(Exchange ex) {
    return primary(ex, ex.request().path(), ex.request().query(), ex.request().queryParams());
  }

  /** The key of a GET of {@code path} with {@code query} by the same caller (for invalidation by Location). */
  String primary(Exchange ex, String path, @Nullable String query, @Nullable MultiMap params) {
    StringBuilder sb = url(ex.request().host(), path, query, params);
    MultiMap headers = ex.request().headers();
    for (String h : config.keyHeaders()) {
      sb.append('\u0000').append(h).append(':');
      join(sb, headers.getAll(h));
    }
    if (config.keyConsumer()) {
      Consumer c = ex.consumer();
      sb.append("\u0000consumer:").append(c == null ? "" : c.id());
    }
    return sb.toString();
  }

  /**
   * The part of a primary key that names the URL: method, host (when keyed), path and query (or its keyed
   * subset). It is the whole key when the route keys on no header and no consumer; otherwise every key of the
   * URL starts with it followed by NUL (purge by URL).
   */
  StringBuilder url(String host, String path, @Nullable String query, @Nullable MultiMap params) {
    StringBuilder sb = new StringBuilder(64 + path.length());
    sb.append("GET\u0000");
    if (config.keyHost()) {
      sb.append(host);
    }
    sb.append('\u0000').append(path);
    List<String> subset = config.keyQuery();
    if (subset == null) {
      if (query != null) {
        sb.append('?').append(query);
      }
    } else if (params != null) {
      for (String name : subset) {
        sb.append('\u0000').append(name).append('=');
        join(sb, params.getAll(name));
      }
    }
    return sb;
  }

  boolean keysHost() {
    return config.keyHost();
  }

  /** Whether a key holds more than the URL (request headers or the consumer). */
  boolean keysOnCaller() {
    return !config.keyHeaders().isEmpty() || config.keyConsumer();
  }

  private static void join(StringBuilder sb, List<String> values) {
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(values.get(i));
    }
  }

  /** The key of one variant: the primary key, the marker's id, the request's values of the Vary headers. */
  static String secondary(String primary, String markerId, List<String> values) {
    StringBuilder sb = new StringBuilder(primary.length() + 64).append(primary).append("\u0000vary:").append(markerId);
    for (String v : values) {
      sb.append('\u0000').append(v);
    }
    return sb.toString();
  }

  /** The lower-case header names a response's {@code Vary} lists. */
  static List<String> varyNames(MultiMap responseHeaders) {
    List<String> names = new ArrayList<>(2);
    for (String line : responseHeaders.getAll("Vary")) {
      for (String part : line.split(",")) {
        String n = part.trim().toLowerCase(Locale.ROOT);
        if (!n.isEmpty() && !names.contains(n)) {
          names.add(n);
        }
      }
    }
    return names;
  }

  /**
   * The request's values of {@code names}, normalised as §4.1 allows (lines joined by commas, whitespace around
   * list separators dropped); an absent header is "\u0001", so that it differs from an empty one.
   */
  static List<String> varyValues(List<String> names, MultiMap requestHeaders) {
    List<String> values = new ArrayList<>(names.size());
    for (String n : names) {
      List<String> all = requestHeaders.getAll(n);
      if (all.isEmpty()) {
        values.add("\u0001");
        continue;
      }
      StringBuilder sb = new StringBuilder();
      for (String line : all) {
        for (String part : line.split(",")) {
          if (sb.length() > 0) {
            sb.append(',');
          }
          sb.append(part.trim());
        }
      }
      values.add(sb.toString());
    }
    return values;
  }
}
