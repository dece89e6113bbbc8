// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.sluice.gateway.platform.http.HeaderNameSet;
import io.sluice.gateway.platform.http.NettyHeaders;
import io.vertx.core.MultiMap;
import io.vertx.core.http.impl.headers.HeadersAdaptor;
import org.junit.jupiter.api.Test;

class HopByHopHeadersTest {

  private static MultiMap copy(MultiMap from, HeaderNameSet skip) {
    MultiMap to = MultiMap.caseInsensitiveMultiMap();
    HopByHopHeaders.copy(from, to, skip);
    return to;
  }

  @Test
  void dropsFixedHopByHopHeadersThoseNamedInConnectionAndSkippedOnes() {
    MultiMap from = MultiMap.caseInsensitiveMultiMap()
        .add("Connection", "keep-alive, X-Secret")
        .add("Keep-Alive", "timeout=5")
        .add("Transfer-Encoding", "chunked")
        .add("TE", "trailers")
        .add("x-secret", "s3")
        .add("X-Request-Id", "abc")
        .add("Content-Type", "text/plain")
        .add("Set-Cookie", "a=1")
        .add("Set-Cookie", "b=2");
    MultiMap to = copy(from, HopByHopHeaders.FIXED.plus("x-request-id"));
    assertThat(to.names()).containsExactlyInAnyOrder("Content-Type", "Set-Cookie");
    assertThat(to.getAll("set-cookie")).containsExactly("a=1", "b=2");
  }

  @Test
  void onlyKeepAliveInConnectionDropsNothingElseAndAnyOtherNameIsDropped() {
    assertThat(HopByHopHeaders.listsOnlyKeepAlive(" Keep-Alive ")).isTrue();
    assertThat(HopByHopHeaders.listsOnlyKeepAlive("keep-alive, close")).isFalse();
    MultiMap kept = MultiMap.caseInsensitiveMultiMap()
        .add("Connection", "Keep-Alive")
        .add("Close", "a header, not the option")
        .add("Server", "nginx");
    assertThat(copy(kept, HopByHopHeaders.FIXED).names()).containsExactlyInAnyOrder("Close", "Server");
    MultiMap listed = MultiMap.caseInsensitiveMultiMap()
        .add("Connection", "close")
        .add("Close", "listed in Connection")
        .add("Server", "nginx");
    assertThat(copy(listed, HopByHopHeaders.FIXED).names()).containsExactly("Server");
  }

  @Test
  void everyConnectionLineCountsAndTabsAreWhitespace() {
    MultiMap from = MultiMap.caseInsensitiveMultiMap()
        .add("Connection", "keep-alive")
        .add("Connection", "X-Second-Line")
        .add("X-Second-Line", "hop")
        .add("Connection2", "kept")
        .add("X-Third", "end-to-end");
    assertThat(copy(from, HopByHopHeaders.FIXED).names()).containsExactlyInAnyOrder("Connection2", "X-Third");
    MultiMap tabbed = MultiMap.caseInsensitiveMultiMap()
        .add("Connection", "close,\tX-Tabbed\t")
        .add("X-Tabbed", "hop")
        .add("Server", "nginx");
    assertThat(copy(tabbed, HopByHopHeaders.FIXED).names()).containsExactly("Server");
  }

  @Test
  void namesMatchWhateverTheirCase() {
    HeaderNameSet set = HeaderNameSet.of("x-forwarded-for", "via");
    assertThat(set.contains("X-Forwarded-For")).isTrue();
    assertThat(set.contains("VIA")).isTrue();
    assertThat(set.contains("x-forwarded-fox")).isFalse();
    assertThat(set.contains("a-name-longer-than-any-in-the-set")).isFalse();
    assertThat(set.plus("Server").contains("server")).isTrue();
  }

  /** The upstream response's headers: Vert.x's adaptor of the Netty headers its client decoder made. */
  @Test
  void copiesNettyHeadersBehindVertxAdaptorWithoutTheirStringView() {
    HttpHeaders decoded = new DefaultHttpHeaders()
        .add(new AsciiString("Connection"), "keep-alive, X-Hop")
        .add(new AsciiString("X-Hop"), "h")
        .add(new AsciiString("Transfer-Encoding"), "chunked")
        .add(new AsciiString("Server"), "nginx")
        .add(new AsciiString("Set-Cookie"), "a=1")
        .add(new AsciiString("Set-Cookie"), "b=2");
    MultiMap from = new HeadersAdaptor(decoded);
    assertThat(NettyHeaders.of(from)).as("the view of this Vert.x's HeadersAdaptor").isSameAs(decoded);
    MultiMap to = copy(from, HopByHopHeaders.FIXED);
    assertThat(to.names()).containsExactlyInAnyOrder("Server", "Set-Cookie");
    assertThat(to.getAll("set-cookie")).containsExactly("a=1", "b=2");
    HttpHeaders copied = (HttpHeaders) to;
    assertThat(copied.iteratorCharSequence().next().getKey()).isInstanceOf(AsciiString.class);
  }

  @Test
  void otherMapsAreCopiedThroughTheirStringView() {
    MultiMap from = new HeadersAdaptor(new DefaultHttpHeaders().add("TE", "trailers").add("Accept", "*/*")) {};
    assertThat(NettyHeaders.of(from)).isNull();
    assertThat(copy(from, HopByHopHeaders.FIXED).names()).containsExactly("Accept");
  }

  @Test
  void setsMatchAsciiStringNamesAndOnlyAsciiCase() {
    HeaderNameSet set = HeaderNameSet.of("keep-alive");
    assertThat(set.contains(new AsciiString("Keep-Alive"))).isTrue();
    assertThat(set.contains("\u212Aeep-alive")).as("the Kelvin sign is not a K").isFalse();
  }
}
