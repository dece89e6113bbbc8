// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.keyauth;

import io.sluice.gateway.api.config.ConfigException;
import org.jspecify.annotations.Nullable;

/**
 * {@code key-auth}'s route config.
 *
 * @param header the request header carrying the key (default {@code X-API-Key}); read first
 * @param queryParam a query parameter also accepted (off by default: URLs end up in logs and browser history)
 * @param hideCredentials remove the key from the request before proxying (default true)
 * @param realm the realm in {@code WWW-Authenticate: ApiKey realm="..."} (default {@code sluice})
 */
public record KeyAuthConfig(String header, @Nullable String queryParam, Boolean hideCredentials, String realm) {

  public KeyAuthConfig(
      @Nullable String header, @Nullable String queryParam, @Nullable Boolean hideCredentials, @Nullable String realm) {
    this.header = header != null ? header : "X-API-Key";
    this.queryParam = queryParam;
    this.hideCredentials = hideCredentials != null ? hideCredentials : true;
    this.realm = realm != null ? realm : "sluice";
    if (this.header.isBlank()) {
      throw new ConfigException("header", "must be a header name");
    }
    if (queryParam != null && queryParam.isBlank()) {
      throw new ConfigException("queryParam", "must be a parameter name");
    }
    if (this.realm.indexOf('"') >= 0 || this.realm.indexOf('\\') >= 0) {
      throw new ConfigException("realm", "must not contain '\"' or '\\'");
    }
  }
}
