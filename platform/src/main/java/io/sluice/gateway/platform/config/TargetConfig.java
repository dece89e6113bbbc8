// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.sluice.gateway.api.config.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * One upstream server: {@code http://host:port} or {@code https://host:port}, written either as that string
 * or as {@code {url: ..., weight: 3}}.
 */
public record TargetConfig(String url, Integer weight) {

  public TargetConfig {
    if (url == null || url.isBlank()) {
      throw new ConfigException("url", "is required");
    }
    weight = weight != null ? weight : 1;
    if (weight <= 0 || weight > 1000) {
      throw new ConfigException("weight", "must be 1..1000");
    }
    URI uri = parse(url);
    if ((uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null
        || uri.getRawUserInfo() != null) {
      throw new ConfigException("url", "'" + url + "' must be scheme://host[:port] only (no path, query or credentials)");
    }
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static TargetConfig of(String url) {
    return new TargetConfig(url, null);
  }

  /** The parsed URL; valid by construction. */
  public URI uri() {
    return parse(url);
  }

  /** Parses {@code scheme://host[:port][/path]}, checking the scheme and host. */
  static URI parse(String url) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new ConfigException("url", "'" + url + "' is not a URL: " + e.getReason());
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new ConfigException("url", "'" + url + "' must start with http:// or https://");
    }
    if (uri.getHost() == null) {
      throw new ConfigException("url", "'" + url + "' has no host");
    }
    return uri;
  }
}
