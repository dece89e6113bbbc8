// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.basicauth;

import io.sluice.gateway.api.config.ConfigException;

/**
 * One username and password hash of a consumer, under {@code credentials: basic-auth:}. Clear passwords are
 * not accepted: {@code password} is a PBKDF2 ({@code $pbkdf2-sha256$i=...}), bcrypt ({@code $2b$...}) or
 * argon2id ({@code $argon2id$...}) hash; see {@link PasswordHash}.
 *
 * @param username unique across consumers; must not contain ':' (RFC 7617)
 * @param password the hash
 */
public record BasicCredential(String username, String password) {

  public BasicCredential {
    if (username == null || username.isEmpty()) {
      throw new ConfigException("username", "is required");
    }
    if (username.indexOf(':') >= 0) {
      throw new ConfigException("username", "must not contain ':' (RFC 7617)");
    }
    if (password == null || password.isEmpty()) {
      throw new ConfigException("password", "is required");
    }
    PasswordHash.parse(password);
  }

  PasswordHash hash() {
    return PasswordHash.parse(password);
  }

  @Override
  public String toString() {
    return "BasicCredential[username=" + username + ", password=***]";
  }
}
