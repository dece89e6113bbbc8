// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api.config;

/**
 * Thrown while binding or validating configuration, never while serving a request. It names the bad field
 * relative to the object being validated and says why; the gateway prefixes the path of that object, so the
 * user reads e.g. {@code routes[2].timeouts.connect: must be > 0}.
 *
 * <pre>{@code
 * public record LimitConfig(long limit) {
 *   public LimitConfig {
 *     if (limit <= 0) throw new ConfigException("limit", "must be > 0");
 *   }
 * }
 * }</pre>
 */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String path;
  private final String reason;

  /**
   * @param path the field's path relative to the object being validated ({@code "limit"}, {@code
   *     "targets[0].url"}), or an empty string when the object as a whole is wrong
   * @param reason why the value is refused, phrased to follow a colon: {@code "must be > 0"}
   */
  public ConfigException(String path, String reason) {
    super(path.isEmpty() ? reason : path + ": " + reason, null, false, false);
    this.path = path;
    this.reason = reason;
  }

  /** The path of the bad field, relative to the object that threw. */
  public String path() {
    return path;
  }

  /** Why the value was refused. */
  public String reason() {
    return reason;
  }

  /** This error seen from a parent object: {@code at("routes[2]")} turns {@code limit} into {@code routes[2].limit}. */
  public ConfigException at(String parentPath) {
    if (parentPath.isEmpty()) {
      return this;
    }
    if (path.isEmpty()) {
      return new ConfigException(parentPath, reason);
    }
    String joined = path.startsWith("[") ? parentPath + path : parentPath + "." + path;
    return new ConfigException(joined, reason);
  }
}
