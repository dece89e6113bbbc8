// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.cache;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One stored response in a self-contained byte form, so that any node reads what another stored (the cluster
 * facade holds bytes, and plugins have their own class loaders). It carries what RFC 9111 needs to serve it
 * later: the status, the end-to-end headers, the body, the times of §4.2.3 (request and response time and the
 * corrected initial age), the freshness lifetime decided when it was stored (§4.2.1, after the route's TTL
 * override and clamps), the directives that govern its use once stale, and the request header values its
 * {@code Vary} selected (§4.1).
 *
 * <p>Wall-clock milliseconds are used (not nanos) because another node computes the age: the nodes' clocks are
 * assumed to be synchronised, as they are for {@code Date}.
 */
final class StoredResponse {

  /** 2: the primary key and the purge tags follow the body (1 had neither; read as a miss). */
  private static final byte VERSION = 2;
  private static final byte KIND_RESPONSE = 0;
  private static final byte KIND_VARY = 1;

  static final int MUST_REVALIDATE = 1;
  static final int NO_CACHE = 2;

  final int status;
  final long requestTime;
  final long responseTime;
  final long correctedInitialAge;
  final long freshness;
  final int flags;
  final long staleWhileRevalidate;
  final long staleIfError;
  /** Lower-case header names of {@code Vary} and the request's values for them, in order. */
  final List<String> varyNames;
  final List<String> varyValues;
  /** End-to-end headers as the upstream sent them, without {@code Age}. Name, value, name, value... */
  final List<String> headers;
  final Buffer body;
  /** The primary key it was stored under (purge by prefix or URL matches it). */
  final String primary;
  /** The purge tags the upstream gave it ({@code tagHeader}). */
  final List<String> tags;

  StoredResponse(int status, long requestTime, long responseTime, long correctedInitialAge, long freshness, int flags,
      long staleWhileRevalidate, long staleIfError, List<String> varyNames, List<String> varyValues,
      List<String> headers, Buffer body, String primary, List<String> tags) {
    this.status = status;
    this.requestTime = requestTime;
    this.responseTime = responseTime;
    this.correctedInitialAge = correctedInitialAge;
    this.freshness = freshness;
    this.flags = flags;
    this.staleWhileRevalidate = staleWhileRevalidate;
    this.staleIfError = staleIfError;
    this.varyNames = varyNames;
    this.varyValues = varyValues;
    this.headers = headers;
    this.body = body;
    this.primary = primary;
    this.tags = tags;
  }

  /** The request path of the primary key (its third NUL-separated part, without the query). */
  String path() {
    int a = primary.indexOf('\u0000');
    int b = a < 0 ? -1 : primary.indexOf('\u0000', a + 1);
    if (b < 0) {
      return "";
    }
    int end = primary.length();
    for (int i = b + 1; i < primary.length(); i++) {
      char c = primary.charAt(i);
      if (c == '?' || c == '\u0000') {
        end = i;
        break;
      }
    }
    return primary.substring(b + 1, end);
  }

  /** current_age of §4.2.3, in ms: the corrected initial age plus the time resident in the cache. */
  long currentAge(long now) {
    return correctedInitialAge + Math.max(0, now - responseTime);
  }

  /** Freshness left at {@code now} in ms; zero or negative when stale. */
  long freshLeft(long now) {
    return freshness - currentAge(now);
  }

  boolean mustRevalidate() {
    return (flags & MUST_REVALIDATE) != 0;
  }

  boolean noCache() {
    return (flags & NO_CACHE) != 0;
  }

  @Nullable String header(String name) {
    for (int i = 0; i < headers.size(); i += 2) {
      if (headers.get(i).equalsIgnoreCase(name)) {
        return headers.get(i + 1);
      }
    }
    return null;
  }

  boolean hasValidators() {
    return header("ETag") != null || header("Last-Modified") != null;
  }

  /**
   * corrected_initial_age of §4.2.3: the larger of the apparent age ({@code response_time - date_value}) and the
   * upstream's {@code Age} corrected by the response delay.
   */
  static long correctedInitialAge(long ageHeaderMillis, long dateValue, long requestTime, long responseTime) {
    long apparentAge = Math.max(0, responseTime - dateValue);
    long responseDelay = Math.max(0, responseTime - requestTime);
    long correctedAgeValue = ageHeaderMillis + responseDelay;
    return Math.max(apparentAge, correctedAgeValue);
  }

  /** Copies the headers into {@code into}. */
  void copyHeaders(MultiMap into) {
    for (int i = 0; i < headers.size(); i += 2) {
      into.add(headers.get(i), headers.get(i + 1));
    }
  }

  /** Headers as a flat name/value list, leaving out {@code Age} (recomputed on every hit). */
  static List<String> flatten(MultiMap headers) {
    List<String> flat = new ArrayList<>(headers.size() * 2);
    for (Map.Entry<String, String> e : headers) {
      if (!e.getKey().equalsIgnoreCase("Age")) {
        flat.add(e.getKey());
        flat.add(e.getValue());
      }
    }
    return flat;
  }

  Buffer encode() {
    Buffer b = Buffer.buffer(256 + body.length());
    b.appendByte(VERSION).appendByte(KIND_RESPONSE);
    b.appendInt(status).appendLong(requestTime).appendLong(responseTime).appendLong(correctedInitialAge)
        .appendLong(freshness).appendInt(flags).appendLong(staleWhileRevalidate).appendLong(staleIfError);
    strings(b, varyNames);
    strings(b, varyValues);
    strings(b, headers);
    b.appendInt(body.length()).appendBuffer(body);
    strings(b, List.of(primary));
    strings(b, tags);
    return b;
  }

  /**
   * The entry stored under the primary key of a response that has a {@code Vary}: an id (the variants' keys
   * contain it, so that invalidating the marker orphans every variant at once) and the names it varies on.
   */
  static Buffer encodeVary(String id, List<String> names) {
    Buffer b = Buffer.buffer(64).appendByte(VERSION).appendByte(KIND_VARY);
    List<String> all = new ArrayList<>(names.size() + 1);
    all.add(id);
    all.addAll(names);
    strings(b, all);
    return b;
  }

  /** The marker's id followed by its {@code Vary} names when {@code b} is a marker entry, else null. */
  static @Nullable List<String> varyOf(Buffer b) {
    if (b.length() < 2 || b.getByte(0) != VERSION || b.getByte(1) != KIND_VARY) {
      return null;
    }
    return readStrings(b, new int[] {2});
  }

  /** Decodes a response entry; null when it is not one this version understands (a marker, or another version). */
  static @Nullable StoredResponse decode(Buffer b) {
    if (b.length() < 2 || b.getByte(0) != VERSION || b.getByte(1) != KIND_RESPONSE) {
      return null;
    }
    int[] pos = {2};
    int status = b.getInt(pos[0]);
    long requestTime = b.getLong(pos[0] + 4);
    long responseTime = b.getLong(pos[0] + 12);
    long corrected = b.getLong(pos[0] + 20);
    long freshness = b.getLong(pos[0] + 28);
    int flags = b.getInt(pos[0] + 36);
    long swr = b.getLong(pos[0] + 40);
    long sie = b.getLong(pos[0] + 48);
    pos[0] += 56;
    List<String> varyNames = readStrings(b, pos);
    List<String> varyValues = readStrings(b, pos);
    List<String> headers = readStrings(b, pos);
    int len = b.getInt(pos[0]);
    // A slice, not a copy: what the cache returns is already this exchange's own copy.
    Buffer body = b.slice(pos[0] + 4, pos[0] + 4 + len);
    pos[0] += 4 + len;
    String primary = readStrings(b, pos).get(0);
    List<String> tags = readStrings(b, pos);
    return new StoredResponse(status, requestTime, responseTime, corrected, freshness, flags, swr, sie,
        varyNames, varyValues, headers, body, primary, tags);
  }

  private static void strings(Buffer b, List<String> list) {
    b.appendInt(list.size());
    for (String s : list) {
      byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
      b.appendInt(bytes.length).appendBytes(bytes);
    }
  }

  private static List<String> readStrings(Buffer b, int[] pos) {
    int n = b.getInt(pos[0]);
    pos[0] += 4;
    List<String> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int len = b.getInt(pos[0]);
      list.add(b.getString(pos[0] + 4, pos[0] + 4 + len, "UTF-8"));
      pos[0] += 4 + len;
    }
    return list;
  }
}
