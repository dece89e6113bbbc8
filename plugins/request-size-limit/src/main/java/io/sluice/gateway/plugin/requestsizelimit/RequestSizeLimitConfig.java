// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.requestsizelimit;

import io.sluice.gateway.api.config.ByteSize;
import io.sluice.gateway.api.config.ConfigException;

/**
 * Configuration of {@code request-size-limit}.
 *
 * @param maxSize the largest request body accepted, e.g. {@code 1MB}
 */
public record RequestSizeLimitConfig(ByteSize maxSize) {

  public RequestSizeLimitConfig {
    if (maxSize == null) {
      throw new ConfigException("maxSize", "is required (e.g. 1MB)");
    }
    if (maxSize.bytes() <= 0) {
      throw new ConfigException("maxSize", "must be > 0");
    }
  }
}
