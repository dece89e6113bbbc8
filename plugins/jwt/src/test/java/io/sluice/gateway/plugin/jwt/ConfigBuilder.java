// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.jwt;

import io.sluice.gateway.api.auth.TokenLocation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Builds a {@link JwtConfig} in tests, one setting at a time; unset settings take the record's defaults. */
final class ConfigBuilder {

  private final List<KeyConfig> keys = new ArrayList<>();
  private @Nullable JwksConfig jwks;
  private @Nullable List<String> algorithms;
  private @Nullable List<String> issuers;
  private @Nullable List<String> audiences;
  private @Nullable List<String> requiredClaims;
  private @Nullable Duration clockSkew;
  private @Nullable TokenLocation token;
  private @Nullable ConsumerSource consumerFrom;
  private @Nullable String consumerClaim;
  private @Nullable String groupsClaim;
  private @Nullable Map<String, String> claimHeaders;
  private @Nullable Duration cacheTtl;
  private @Nullable Integer cacheSize;

  ConfigBuilder key(KeyConfig key) {
    keys.add(key);
    return this;
  }

  ConfigBuilder jwks(JwksConfig jwks) {
    this.jwks = jwks;
    return this;
  }

  ConfigBuilder algorithms(String... algorithms) {
    this.algorithms = List.of(algorithms);
    return this;
  }

  ConfigBuilder issuers(String... issuers) {
    this.issuers = List.of(issuers);
    return this;
  }

  ConfigBuilder audiences(String... audiences) {
    this.audiences = List.of(audiences);
    return this;
  }

  ConfigBuilder requiredClaims(String... claims) {
    this.requiredClaims = List.of(claims);
    return this;
  }

  ConfigBuilder clockSkew(Duration skew) {
    this.clockSkew = skew;
    return this;
  }

  ConfigBuilder token(TokenLocation token) {
    this.token = token;
    return this;
  }

  ConfigBuilder consumerFrom(ConsumerSource from) {
    this.consumerFrom = from;
    return this;
  }

  ConfigBuilder consumerClaim(String claim) {
    this.consumerClaim = claim;
    return this;
  }

  ConfigBuilder groupsClaim(String claim) {
    this.groupsClaim = claim;
    return this;
  }

  ConfigBuilder claimHeaders(Map<String, String> headers) {
    this.claimHeaders = headers;
    return this;
  }

  ConfigBuilder cacheTtl(Duration ttl) {
    this.cacheTtl = ttl;
    return this;
  }

  ConfigBuilder cacheSize(int size) {
    this.cacheSize = size;
    return this;
  }

  JwtConfig build() {
    return new JwtConfig(keys, jwks, algorithms, issuers, audiences, requiredClaims, clockSkew, token, consumerFrom,
        consumerClaim, groupsClaim, claimHeaders, cacheTtl, cacheSize, null);
  }
}
