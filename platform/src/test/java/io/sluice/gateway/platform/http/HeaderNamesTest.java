// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import io.vertx.core.http.impl.headers.HeadersAdaptor;
import org.junit.jupiter.api.Test;

class HeaderNamesTest {

  @Test
  void findsTheFirstNameWithAnUnderscoreInEveryKindOfMap() {
    MultiMap vertx = MultiMap.caseInsensitiveMultiMap()
        .add(new AsciiString("Accept"), "*/*")
        .add(new AsciiString("X_User"), "a")
        .add("X_Other", "b");
    assertThat(NettyHeaders.of(vertx)).isNotNull();
    assertThat(HeaderNames.firstWithUnderscore(vertx)).isEqualTo("X_User");
    MultiMap adapted = new HeadersAdaptor(new DefaultHttpHeaders().add(new AsciiString("Via"), "1.1 x").add("A_B", "c"));
    assertThat(NettyHeaders.of(adapted)).isNotNull();
    assertThat(HeaderNames.firstWithUnderscore(adapted)).isEqualTo("A_B");
    MultiMap other = new HeadersAdaptor(new DefaultHttpHeaders().add("C_D", "e")) {};
    assertThat(NettyHeaders.of(other)).isNull();
    assertThat(HeaderNames.firstWithUnderscore(other)).isEqualTo("C_D");
  }

  @Test
  void namesWithoutUnderscoresPass() {
    assertThat(HeaderNames.firstWithUnderscore(MultiMap.caseInsensitiveMultiMap().add("X-User", "a"))).isNull();
    assertThat(HeaderNames.firstWithUnderscore(new HeadersAdaptor(new DefaultHttpHeaders().add("X-User", "a")))).isNull();
  }
}
