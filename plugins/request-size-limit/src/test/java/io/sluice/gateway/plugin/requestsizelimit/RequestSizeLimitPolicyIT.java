// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.requestsizelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testkit.GatewayHarness;
import io.sluice.gateway.testkit.TestBackend;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequestSizeLimitPolicyIT {

  @TempDir Path dir;

  @Test
  void refusesOversizeBodiesBeforeTheBackend() throws Exception {
    try (TestBackend backend = new TestBackend();
        GatewayHarness gateway = GatewayHarness.start(dir, """
            routes:
              - id: upload
                path: /**
                upstream: %s
                policies: [ { type: request-size-limit, config: { maxSize: 1KB } } ]
            """.formatted(backend.url()))) {
      var tooBig = gateway.send(HttpMethod.POST, "/up", MultiMap.caseInsensitiveMultiMap(), Buffer.buffer(new byte[2048]));
      assertThat(tooBig.status()).isEqualTo(413);
      assertThat(tooBig.body()).contains("\"key\":\"BODY_TOO_LARGE\"");
      assertThat(backend.hits()).isZero();

      var fits = gateway.send(HttpMethod.POST, "/up", MultiMap.caseInsensitiveMultiMap(), Buffer.buffer(new byte[1024]));
      assertThat(fits.status()).isEqualTo(200);
      assertThat(backend.next().body()).hasSize(1024);

      var chunked = gateway.postChunked("/up", Buffer.buffer(new byte[600]), Buffer.buffer(new byte[600]));
      assertThat(chunked.status()).isEqualTo(413);
      assertThat(chunked.body()).contains("\"key\":\"BODY_TOO_LARGE\"");
    }
  }
}
