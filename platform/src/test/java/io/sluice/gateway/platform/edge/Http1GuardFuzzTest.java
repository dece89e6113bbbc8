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
import java.util.Random;
import io.sluice.gateway.platform.fuzz.Fuzz;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing of the edge parser against Netty's own decoder, with a bounded budget (a failure is a bug):
 * mutated request streams never make the guard throw; every head it accepts, Netty decodes the same way
 * (same body framing); and splitting a stream into arbitrary reads never changes which requests and complete
 * bodies the decoder sees, nor whether the connection is refused.
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

  /** One of the templates with up to four random edits (insert, delete, replace a byte, append) of tokens. */
  static String stream(Random r) {
    StringBuilder sb = new StringBuilder(Fuzz.oneOf(r, TEMPLATES));
    int edits = r.nextInt(5);
    for (int k = 0; k < edits; k++) {
      int at = r.nextInt(sb.length() + 1);
      String token = Fuzz.oneOf(r, TOKENS);
      switch (r.nextInt(4)) {
        case 0 -> sb.insert(at, token);
        case 1 -> { if (at < sb.length()) sb.deleteCharAt(at); }
        case 2 -> { if (at < sb.length()) sb.replace(at, at + 1, token); }
        default -> sb.append(token);
      }
    }
    return sb.toString();
  }

  /** A stream and where to split it into reads. */
  record Split(String stream, List<Integer> reads) {}

  @Test
  void theParserNeverThrowsAndAcceptsOnlyWhatNettyDecodesTheSameWay() {
    Fuzz.check("accepted heads decode the same in Netty", 1500, Http1GuardFuzzTest::stream,
        Http1GuardFuzzTest::acceptedHeadsDecodeTheSameInNetty);
  }

  private static void acceptedHeadsDecodeTheSameInNetty(String stream) {
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

  @Test
  void splittingAStreamIntoReadsNeverChangesWhatTheDecoderSees() {
    Fuzz.check("split reads decode the same", 600, r -> {
      List<Integer> reads = new java.util.ArrayList<>();
      int n = 1 + r.nextInt(6);
      for (int k = 0; k < n; k++) {
        reads.add(1 + r.nextInt(400));
      }
      return new Split(stream(r), reads);
    }, split -> assertThat(decode(split.stream(), split.reads())).isEqualTo(decode(split.stream(), List.of())));
  }

  /** Runs the stream through guard + decoder and describes what the decoder produced (and what was refused). */
  private static List<String> decode(String stream, List<Integer> splits) {
    Http1Guard guard = new Http1Guard(LIMITS, 0, 0);
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
    // A body the edge refused part-way (the connection is closed) may have streamed its valid first bytes when
    // they came in an earlier read: what the decoder saw of it is not compared, only that it never completed.
    if (!body.isEmpty() && channel.isOpen()) {
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
