// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.platform.config.EscapedSlashes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathNormalizerTest {

  private final PathNormalizer normalizer = new PathNormalizer(true, EscapedSlashes.REJECT);

  @ParameterizedTest
  @CsvSource({
    "/, /",
    "/a/b, /a/b",
    "/a/b/, /a/b/",
    "/a/./b, /a/b",
    "/a/../b, /b",
    "/public/../admin, /admin",
    "/../../etc/passwd, /etc/passwd",
    "/a/b/.., /a/",
    "/a/., /a/",
    "/.., /",
    "//a///b, /a/b",
    "/%2e%2e/admin, /admin",
    "/public/%2E%2e/admin, /admin",
    "/a/%2e/b, /a/b",
    "/%41%62c, /Abc",
    "/caf%c3%a9, /caf%C3%A9",
    "/a%20b, /a%20b",
    "/a/.hidden/b, /a/.hidden/b",
    "/a/..b, /a/..b",
    "/~user/%7e, /~user/~",
  })
  void normalises(String raw, String expected) {
    assertThat(normalizer.normalize(raw)).isEqualTo(expected);
  }

  @Test
  void returnsCanonicalPathsWithoutCopying() {
    String canonical = "/api/v1/users/42";
    assertThat(normalizer.normalize(canonical)).isSameAs(canonical);
  }

  @ParameterizedTest
  @CsvSource({
    "/a%2Fb, PATH_ESCAPED_SLASH",
    "/a%2fb, PATH_ESCAPED_SLASH",
    "/a%5Cb, PATH_ESCAPED_SLASH",
    "/a%zz, PATH_INVALID",
    "/a%2, PATH_INVALID",
    "/a%00b, PATH_INVALID",
    "/a\\b, PATH_INVALID",
    "relative, PATH_INVALID",
  })
  void refuses(String raw, String key) {
    assertThatThrownBy(() -> normalizer.normalize(raw))
        .isInstanceOfSatisfying(InvalidPathException.class, e -> assertThat(e.key()).isEqualTo(key));
  }

  @Test
  void escapedSlashPoliciesKeepOrDecode() {
    assertThat(new PathNormalizer(true, EscapedSlashes.KEEP).normalize("/a%2fb/../c")).isEqualTo("/c");
    assertThat(new PathNormalizer(true, EscapedSlashes.KEEP).normalize("/a%2fb")).isEqualTo("/a%2Fb");
    assertThat(new PathNormalizer(true, EscapedSlashes.DECODE).normalize("/public%2F..%2Fadmin")).isEqualTo("/admin");
  }

  @Test
  void keepsDuplicateSlashesWhenMergingIsOff() {
    assertThat(new PathNormalizer(false, EscapedSlashes.REJECT).normalize("/a//b")).isEqualTo("/a//b");
  }
}
