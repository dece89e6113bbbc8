// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.requestsizelimit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.api.config.ByteSize;
import org.junit.jupiter.api.Test;

class RequestSizeLimitConfigTest {

  @Test
  void requiresAPositiveSize() {
    assertThatThrownBy(() -> new RequestSizeLimitConfig(null)).hasMessage("maxSize: is required (e.g. 1MB)");
    assertThatThrownBy(() -> new RequestSizeLimitConfig(ByteSize.ofBytes(0))).hasMessage("maxSize: must be > 0");
  }
}
