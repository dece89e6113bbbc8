// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.basicauth;

import io.sluice.gateway.api.config.ConfigException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * {@code basic-auth}'s route config.
 *
 * @param realm sent in {@code WWW-Authenticate: Basic realm="...", charset="UTF-8"} (default {@code sluice})
 * @param hideCredentials remove {@code Authorization} before proxying (default true)
 * @param cacheTtl how long a verification result is reused (default 60s; 0 turns the cache off). A removed
 *     consumer or changed password takes effect at the next configuration load regardless.
 * @param cacheSize the most results kept (default 10000)
 * @param hashThreads the threads that verify hashes on a cache miss (default 2), off the event loop
 * @param maxPending the most verifications waiting for a thread; beyond it requests get 503 {@code AUTH_BUSY}
 *     (default 256)
 */
public record BasicAuthConfig(
    String realm, Boolean hideCredentials, Duration cacheTtl, Integer cacheSize, Integer hashThreads, Integer maxPending) {

  public BasicAuthConfig(
      @Nullable String realm,
      @Nullable Boolean hideCredentials,
      @Nullable Duration cacheTtl,
      @Nullable Integer cacheSize,
      @Nullable Integer hashThreads,
      @Nullable Integer maxPending) {
    this.realm = realm != null ? realm : "sluice";
    this.hideCredentials = hideCredentials != null ? hideCredentials : true;
    this.cacheTtl = cacheTtl != null ? cacheTtl : Duration.ofSeconds(60);
    this.cacheSize = cacheSize != null ? cacheSize : 10_000;
    this.hashThreads = hashThreads != null ? hashThreads : 2;
    this.maxPending = maxPending != null ? maxPending : 256;
    if (this.realm.indexOf('"') >= 0 || this.realm.indexOf('\\') >= 0) {
      throw new ConfigException("realm", "must not contain '\"' or '\\'");
    }
    if (this.cacheTtl.isNegative()) {
      throw new ConfigException("cacheTtl", "must not be negative");
    }
    if (this.cacheSize < 1) {
      throw new ConfigException("cacheSize", "must be > 0");
    }
    if (this.hashThreads < 1 || this.hashThreads > 64) {
      throw new ConfigException("hashThreads", "must be 1..64");
    }
    if (this.maxPending < 1) {
      throw new ConfigException("maxPending", "must be > 0");
    }
  }
}
