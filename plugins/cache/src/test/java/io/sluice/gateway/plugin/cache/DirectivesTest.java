// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DirectivesTest {

  @Test
  void parsesEveryDirectiveTheCacheHonours() {
    Directives d = Directives.parse(List.of(
        "Public, MAX-AGE=60, s-maxage=\"120\", must-revalidate, proxy-revalidate",
        "stale-while-revalidate=30,stale-if-error=600, no-cache=\"Set-Cookie\", private, no-store"), null);
    assertThat(d.isPublic).isTrue();
    assertThat(d.maxAge).isEqualTo(60);
    assertThat(d.sMaxAge).isEqualTo(120);
    assertThat(d.mustRevalidate).isTrue();
    assertThat(d.proxyRevalidate).isTrue();
    assertThat(d.staleWhileRevalidate).isEqualTo(30);
    assertThat(d.staleIfError).isEqualTo(600);
    assertThat(d.noCache).as("qualified no-cache applies to the whole response").isTrue();
    assertThat(d.isPrivate).isTrue();
    assertThat(d.noStore).isTrue();
  }

  @Test
  void requestDirectives() {
    Directives d = Directives.parse(List.of("max-stale, min-fresh=5, only-if-cached, max-age=0"), null);
    assertThat(d.maxStale).isEqualTo(Directives.CAP);
    assertThat(d.minFresh).isEqualTo(5);
    assertThat(d.onlyIfCached).isTrue();
    assertThat(d.maxAge).isZero();
    assertThat(Directives.parse(List.of("max-stale=7"), null).maxStale).isEqualTo(7);
  }

  @Test
  void firstOccurrenceWinsInvalidIsStaleAndOverflowIsCapped() {
    // RFC 9111 §4.2.1 and §1.2.2
    assertThat(Directives.parse(List.of("max-age=10, max-age=99"), null).maxAge).isEqualTo(10);
    assertThat(Directives.parse(List.of("max-age=abc"), null).maxAge).isZero();
    assertThat(Directives.parse(List.of("max-age=-5"), null).maxAge).isZero();
    assertThat(Directives.parse(List.of("max-age=99999999999999999999"), null).maxAge).isEqualTo(2147483648L);
    assertThat(Directives.parse(List.of("foo=bar, max-age=3"), null).maxAge).isEqualTo(3);
  }

  @Test
  void pragmaNoCacheCountsOnlyWithoutCacheControl() {
    // RFC 9111 §5.4
    assertThat(Directives.parse(List.of(), "no-cache").noCache).isTrue();
    assertThat(Directives.parse(List.of("max-age=5"), "no-cache").noCache).isFalse();
    assertThat(Directives.parse(List.of(), null)).isSameAs(Directives.NONE);
  }
}
