// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.ipfilter;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testkit.GatewayHarness;
import io.sluice.gateway.testkit.TestBackend;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IpFilterPolicyIT {

  @TempDir Path dir;

  @Test
  void keepsDeniedClientsAwayFromTheBackend() throws Exception {
    try (TestBackend backend = new TestBackend();
        GatewayHarness gateway = GatewayHarness.start(dir, """
            routes:
              - id: internal
                path: /internal/**
                upstream: %s
                policies: [ { type: ip-filter, config: { deny: [127.0.0.0/8] } } ]
              - id: public
                path: /public/**
                upstream: %s
                policies: [ { type: ip-filter, config: { allow: ["127.0.0.1", "::1"] } } ]
            """.formatted(backend.url(), backend.url()))) {
      var denied = gateway.get("/internal/x");
      assertThat(denied.status()).isEqualTo(403);
      assertThat(denied.body()).contains("\"key\":\"IP_FORBIDDEN\"");
      assertThat(backend.hits()).isZero();
      assertThat(gateway.get("/public/x").status()).isEqualTo(200);
      assertThat(backend.hits()).isEqualTo(1);
    }
  }
}
