// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TracingConfigTest {

  private final ConfigLoader loader = new ConfigLoader(Map.of("OTLP_KEY", "k-123")::get);

  private String error(String yaml) {
    return ConfigRefusal.onlyProblem(loader, yaml);
  }

  @Test
  void offByDefaultWithSafeDefaults() {
    TracingConfig t = loader.parse("", "t.yaml").tracing();
    assertThat(t.enabled()).isFalse();
    assertThat(t.exports()).isFalse();
    assertThat(t.sampleRatio()).isEqualTo(1.0);
    assertThat(t.parentBased()).isTrue();
    assertThat(t.serviceName()).isEqualTo("sluice");
    assertThat(t.maxQueueSize()).isEqualTo(2048);
    assertThat(t.maxBatchSize()).isEqualTo(512);
    assertThat(t.exportInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(t.traceResponse()).isFalse();
    assertThat(loader.parse("", "t.yaml").accessLog().sampleSuccess()).isEqualTo(1.0);
  }

  @Test
  void bindsEverySetting() {
    TracingConfig t = loader.parse("""
        tracing:
          enabled: true
          endpoint: http://collector:4318/v1/traces
          sampleRatio: 0.1
          parentBased: false
          serviceName: edge
          maxQueueSize: 100
          maxBatchSize: 10
          exportInterval: 250ms
          exportTimeout: 2s
          headers: { X-Api-Key: "${env:OTLP_KEY}" }
          traceResponse: true
        """, "t.yaml").tracing();
    assertThat(t.traceResponse()).isTrue();
    assertThat(t.exports()).isTrue();
    assertThat(t.sampleRatio()).isEqualTo(0.1);
    assertThat(t.parentBased()).isFalse();
    assertThat(t.exportInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(t.headers()).containsEntry("X-Api-Key", "k-123");
    assertThat(t.toString()).as("header values are secrets").doesNotContain("k-123").contains("X-Api-Key");
  }

  @Test
  void errorsNameTheFieldPath() {
    assertThat(error("tracing: { sampleRatio: 1.5 }")).isEqualTo("tracing.sampleRatio: must be between 0 and 1");
    assertThat(error("tracing: { sampleRatio: -0.1 }")).isEqualTo("tracing.sampleRatio: must be between 0 and 1");
    assertThat(error("tracing: { endpoint: \"ftp://x/v1/traces\" }"))
        .isEqualTo("tracing.endpoint: must be an http:// or https:// URL with a host");
    assertThat(error("tracing: { endpoint: \"http://a b\" }")).isEqualTo("tracing.endpoint: is not a URL");
    assertThat(error("tracing: { serviceName: \" \" }")).isEqualTo("tracing.serviceName: must not be blank");
    assertThat(error("tracing: { maxQueueSize: 0 }")).isEqualTo("tracing.maxQueueSize: must be > 0");
    assertThat(error("tracing: { maxQueueSize: 10, maxBatchSize: 11 }"))
        .isEqualTo("tracing.maxBatchSize: must be between 1 and maxQueueSize (10)");
    assertThat(error("tracing: { exportInterval: 0s }")).isEqualTo("tracing.exportInterval: must be > 0");
    assertThat(error("tracing: { headers: { \"a b\": x } }")).isEqualTo("tracing.headers: 'a b' is not a header name");
    assertThat(error("tracing: { sampleratio: 1 }")).startsWith("tracing: unknown key 'sampleratio'");
    assertThat(error("accessLog: { sampleSuccess: 2 }")).isEqualTo("accessLog.sampleSuccess: must be between 0 and 1");
  }
}
