// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzing of the edge parser against Netty's own decoder, with a bounded budget (a failure is a bug):
 * mutated request streams never make the guard throw; every head it accepts, Netty decodes the same way
 * (same body framing); and splitting a stream into arbitrary reads never changes what the decoder sees.
 */
class Http1GuardFuzzTest {

  private static final HeadLimits LIMITS = new HeadLimits(8192, 16 * 1024, 100);

  private static final List<String> TEMPLATES = List.of(
      "GET /a?b=c HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n\r\n",
      "POST /p HTTP/1.1\r\nHost: h:8080\r\nContent-Length: 5\r\n\r\nhello",
      "POST /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;e=1\r\nhello\r\n0\r\nT: 1\r\n\r\n",
      "GET / HTTP/1.0\r\n\r\n",
      "GET /x HTTP/1.1\r\nHost: h\r\n\r\nPOST /y HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nokGET /z HTTP/1.1\r\nHost: h\r\n\r\n");

  private static final List<String> TOKENS = List.of(" ", "\t", "\r", "\n", "\r\n", ":", "\0", ",", ";", "-", "0", "9",
      "F", "\"", "chunked", "Content-Length: 3\r\n", "Transfer-Encoding: chunked\r\n", "Host: x\r\n", "\u00ff", "HTTP/1.1");

  @Provide
  Arbitrary<String> streams() {
    Arbitrary<String> template = Arbitraries.of(TEMPLATES);
    Arbitrary<List<int[]>> edits = Combinators.combine(
            Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 10_000),
            Arbitraries.integers().between(0, TOKENS.size() - 1))
        .as((op, at, token) -> new int[] {op, at, token})
        .list().ofMinSize(0).ofMaxSize(4);
    return Combinators.combine(template, edits).as((t, list) -> {
      StringBuilder sb = new StringBuilder(t);
      for (int[] e : list) {
        int at = e[1] % (sb.length() + 1);
        String token = TOKENS.get(e[2]);
        switch (e[0]) {
          case 0 -> sb.insert(at, token);
          case 1 -> { if (at < sb.length()) sb.deleteCharAt(at); }
          case 2 -> { if (at < sb.length()) sb.replace(at, at + 1, token); }
          default -> sb.append(token);
        }
      }
      return sb.toString();
    });
  }

  @Property(tries = 1500)
  void theParserNeverThrowsAndAcceptsOnlyWhatNettyDecodesTheSameWay(@ForAll("streams") String stream) {
    ByteBuf buf = bytes(stream);
    int end = HeadParser.findEnd(buf, 0, buf.writerIndex());
    if (end < 0) {
      return;
    }
    GuardedRequest head = new HeadParser(LIMITS).parse(buf, 0, end);
    if (head.refusal() != null) {
      return;
    }
    EmbeddedChannel netty = new EmbeddedChannel(new HttpRequestDecoder());
    netty.writeInbound(buf.retainedSlice(0, end));
    HttpRequest request = netty.readInbound();
    assertThat(request).as("Netty decodes what the guard accepted: %s", stream).isNotNull();
    assertThat(request.decoderResult().isSuccess()).as("Netty decodes %s", stream).isTrue();
    if (head.bodyLength() == GuardedRequest.CHUNKED) {
      assertThat(HttpUtil.isTransferEncodingChunked(request)).isTrue();
    } else {
      assertThat(HttpUtil.getContentLength(request, 0L)).isEqualTo(head.bodyLength());
    }
    netty.finishAndReleaseAll();
    buf.release();
  }

  @Property(tries = 600)
  void splittingAStreamIntoReadsNeverChangesWhatTheDecoderSees(
      @ForAll("streams") String stream, @ForAll("splits") List<Integer> splits) {
    List<String> whole = decode(stream, List.of());
    List<String> split = decode(stream, splits);
    assertThat(split).as("reads split at %s of %s", splits, stream).isEqualTo(whole);
  }

  @Provide
  Arbitrary<List<Integer>> splits() {
    return Arbitraries.integers().between(1, 400).list().ofMinSize(1).ofMaxSize(6);
  }

  /** Runs the stream through guard + decoder and describes what the decoder produced (and what was refused). */
  private static List<String> decode(String stream, List<Integer> splits) {
    Http1Guard guard = new Http1Guard(LIMITS, 0);
    EmbeddedChannel channel = new EmbeddedChannel(guard, new HttpRequestDecoder());
    byte[] all = stream.getBytes(StandardCharsets.ISO_8859_1);
    int at = 0;
    for (int s : splits) {
      int next = Math.min(all.length, at + s);
      if (!channel.isOpen()) {
        break; // the guard closed the connection (a malformed body): nothing more is read
      }
      if (next > at) {
        channel.writeInbound(Unpooled.wrappedBuffer(all, at, next - at));
      }
      at = next;
    }
    if (at < all.length && channel.isOpen()) {
      channel.writeInbound(Unpooled.wrappedBuffer(all, at, all.length - at));
    }
    List<String> seen = new ArrayList<>();
    StringBuilder body = new StringBuilder();
    Object msg;
    while ((msg = channel.readInbound()) != null) {
      if (msg instanceof HttpRequest r) {
        seen.add(r.method() + " " + r.uri() + " " + r.decoderResult().isSuccess());
      }
      if (msg instanceof HttpContent c) {
        body.append(c.content().toString(StandardCharsets.ISO_8859_1));
        if (msg instanceof LastHttpContent) {
          seen.add("body:" + body);
          body.setLength(0);
        }
      }
      io.netty.util.ReferenceCountUtil.release(msg);
    }
    if (!body.isEmpty()) {
      seen.add("partial:" + body);
    }
    seen.add("open:" + channel.isOpen());
    channel.finishAndReleaseAll();
    return seen;
  }

  private static ByteBuf bytes(String s) {
    return Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.ISO_8859_1));
  }
}
