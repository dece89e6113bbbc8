// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.edge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The strict HTTP/1 parser of record, in front of Netty's decoder on every HTTP/1 client connection. It sees
 * the bytes first and lets only validated messages through:
 *
 * <ul>
 *   <li>A request head is held until it is complete, then checked by {@link HeadParser}; only then are its bytes
 *       passed on, so the decoder is always at a message boundary between heads.
 *   <li>Its body is followed with the length the edge computed (a count, or {@link ChunkedScanner}), so the
 *       next pipelined head is found exactly where the decoder will find it.
 *   <li>A refused head is not passed on. In its place the decoder gets a fixed, harmless request head that
 *       asks to close the connection, and the exchange Vert.x delivers for it takes the refusal from this
 *       guard's queue: the client's answer is a problem response in pipeline order, with its access-log line,
 *       and nothing after it on the connection is read.
 *   <li>A request head must be complete within {@code headersTimeout} of the connection's first byte (from
 *       accept), or of its own first byte on a kept-alive connection; otherwise 408.
 *   <li>A connection closed while the client may still be sending (in the middle of a body that was refused,
 *       or after a refused head) is closed the way nginx's {@code lingering_close} does it: the answer is
 *       flushed, the write side shut down (the client reads the answer and an end of stream), and what the
 *       client still sends is read and dropped until it closes or {@code lingerTimeout} passes. Closing at
 *       once would make the kernel answer those bytes with a reset, and a client still writing its body
 *       would often lose the answer with it.
 * </ul>
 *
 * The exchange for each request takes its {@link GuardedRequest} with {@link #take}. Runs on the connection's
 * event loop; nothing here blocks.
 */
public final class Http1Guard extends ChannelDuplexHandler {

  private static final AttributeKey<Http1Guard> KEY = AttributeKey.valueOf("sluice.http1Guard");
  private static final GuardedRequest UNSEEN = GuardedRequest.refused(
      Refusal.badRequest("REQUEST_FRAMING_INVALID", "the request's framing is out of step with the edge's"), "", "");
  private static final String NAME = "sluiceHttp1Guard";
  private static final byte[] REFUSED_HEAD =
      "GET / HTTP/1.1\r\nHost: refused.invalid\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final Refusal HEADERS_TIMEOUT =
      new Refusal(408, "REQUEST_HEADERS_TIMEOUT", "the request head did not arrive in time");
  /** Empty lines tolerated before a request line (RFC 9112 §2.2 asks to ignore at least one). */
  private static final int MAX_LEADING_EMPTY_LINES = 8;

  private static final int HEAD = 0;
  private static final int BODY_LENGTH = 1;
  private static final int BODY_CHUNKED = 2;
  private static final int CLOSED = 3;
  /** Closing: the answer is out and the write side shut; what arrives is dropped. */
  private static final int LINGERING = 4;

  private final HeadParser parser;
  private final ChunkedScanner chunks;
  private final long headersTimeoutMillis;
  private final long lingerMillis;
  /** Heads passed on, oldest first, not yet taken by their exchange. */
  private final ArrayDeque<GuardedRequest> heads = new ArrayDeque<>(2);
  private @Nullable ChannelHandlerContext ctx;
  private int state = HEAD;
  private long bodyRemaining;
  private @Nullable GuardedRequest streaming;
  /** The bytes of a head that has not arrived whole yet. */
  private @Nullable ByteBuf partial;
  private int emptyLines;
  /** The last byte skipped before a request line was a CR (its LF may come in the next read). */
  private boolean afterCr;
  private @Nullable ScheduledFuture<?> headTimer;
  private @Nullable ScheduledFuture<?> lingerTimer;

  Http1Guard(HeadLimits limits, long headersTimeoutMillis, long lingerMillis) {
    this.parser = new HeadParser(limits);
    this.chunks = new ChunkedScanner(limits);
    this.headersTimeoutMillis = headersTimeoutMillis;
    this.lingerMillis = lingerMillis;
  }

  /**
   * Puts a guard in front of the HTTP/1 decoder of a connection the server just accepted. Call it from the
   * server's connection handler, which Vert.x runs before it reads a byte when h2c is off.
   *
   * @param lingerMillis how long a connection closed in the middle of a request may drain what the client
   *     still sends (0: closed at once)
   * @return whether a guard was installed (false for an HTTP/2 connection)
   */
  public static boolean install(
      HttpConnection connection, HeadLimits limits, long headersTimeoutMillis, long lingerMillis) {
    if (!(connection instanceof ConnectionBase base)) {
      return false;
    }
    ChannelPipeline pipeline = base.channel().pipeline();
    if (pipeline.get("httpDecoder") == null) {
      return false;
    }
    pipeline.addBefore("httpDecoder", NAME, new Http1Guard(limits, headersTimeoutMillis, lingerMillis));
    return true;
  }

  /**
   * What the guard decided about the head of {@code request}, taken once by its exchange; null for HTTP/2
   * and for connections without a guard.
   */
  public static @Nullable GuardedRequest take(HttpServerRequest request) {
    if (request.version() == HttpVersion.HTTP_2) {
      return null;
    }
    HttpConnection connection = request.connection();
    if (!(connection instanceof ConnectionBase base)) {
      return null;
    }
    Http1Guard guard = base.channel().attr(KEY).get();
    if (guard == null) {
      return null;
    }
    GuardedRequest head = guard.heads.poll();
    // A request Netty decoded whose head the guard never saw: the two parsers disagree on where requests begin.
    // Nothing of that connection is trusted any more (the exchange refuses it and closes).
    return head != null ? head : UNSEEN;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    ctx.channel().attr(KEY).set(this);
    startHeadTimer();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    release();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    release();
    super.channelInactive(ctx);
  }

  /**
   * Lingers when the client may still be sending: inside a request's body, or after a refusal (the bytes that
   * follow it are never read as requests). Between requests the connection closes at once.
   */
  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    if (state != LINGERING) {
      boolean midRequest = state != HEAD || partial != null;
      if (!midRequest || lingerMillis <= 0 || !(ctx.channel() instanceof DuplexChannel duplex)
          || !ctx.channel().isActive()) {
        ctx.close(promise);
        return;
      }
      linger(ctx, duplex);
    }
    ctx.channel().closeFuture().addListener(f -> promise.trySuccess());
  }

  /** Flushes the answer, shuts the write side and drops what arrives until the client closes or the time is up. */
  private void linger(ChannelHandlerContext ctx, DuplexChannel duplex) {
    state = LINGERING;
    streaming = null;
    cancelHeadTimer();
    releasePartial();
    lingerTimer = ctx.executor().schedule(() -> {
      lingerTimer = null;
      ctx.close();
    }, lingerMillis, TimeUnit.MILLISECONDS);
    // The empty write completes once everything written before it is out; only then is the write side shut.
    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> {
      if (!written.isSuccess() || !ctx.channel().isActive()) {
        ctx.close();
        return;
      }
      duplex.shutdownOutput().addListener(shut -> {
        if (!shut.isSuccess()) {
          ctx.close();
        }
      });
    });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf in) {
      read(in);
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  /** Passes on the validated parts of {@code in}, in order; releases it. */
  private void read(ByteBuf in) {
    int i = in.readerIndex();
    int end = in.writerIndex();
    int pass = i; // the first byte not passed on yet
    boolean split = false; // part of `in` was dropped or passed on alone: pass slices, not `in` itself
    try {
      loop:
      while (i < end) {
        switch (state) {
          case HEAD -> {
            if (partial != null) {
              partial.writeBytes(in, i, end - i);
              split = true;
              pass = i = end;
              completePartial();
              break loop;
            }
            byte c = in.getByte(i);
            if (c == '\r' || c == '\n') {
              // An empty line (CRLF) before a request line is skipped; the decoder never sees it.
              passOn(in, pass, i);
              split = true;
              if (c == '\n' && !afterCr) {
                pass = end;
                refuse(HeadParser.bareLf(in, i, i));
                break loop;
              }
              afterCr = c == '\r';
              if (c == '\n' && ++emptyLines > MAX_LEADING_EMPTY_LINES) {
                pass = end;
                refuse(GuardedRequest.refused(
                    Refusal.badRequest("REQUEST_LINE_INVALID", "empty lines instead of a request line"), "", ""));
                break loop;
              }
              pass = ++i;
              continue;
            }
            int headEnd = HeadParser.findEnd(in, i, end);
            if (headEnd == HeadParser.BARE_LF) {
              passOn(in, pass, i);
              split = true;
              pass = end;
              refuse(HeadParser.bareLf(in, i, end));
              break loop;
            }
            if (headEnd < 0) {
              passOn(in, pass, i);
              split = true;
              pass = end;
              GuardedRequest tooLarge = parser.checkIncomplete(in, i, end);
              if (tooLarge != null) {
                refuse(tooLarge);
                break loop;
              }
              partial = in.alloc().buffer(end - i).writeBytes(in, i, end - i);
              startHeadTimer();
              i = end;
              continue;
            }
            GuardedRequest head = parser.parse(in, i, headEnd);
            if (head.refusal() != null) {
              passOn(in, pass, i);
              split = true;
              pass = end;
              refuse(head);
              break loop;
            }
            accept(head);
            i = headEnd;
          }
          case BODY_LENGTH -> {
            int n = (int) Math.min(bodyRemaining, end - i);
            i += n;
            bodyRemaining -= n;
            if (bodyRemaining == 0) {
              bodyEnded();
            }
          }
          case BODY_CHUNKED -> {
            int next = chunks.scan(in, i, end);
            if (next < 0) {
              passOn(in, pass, i);
              split = true;
              pass = end;
              bodyFailed(chunks.error());
              break loop;
            }
            i = next;
            if (chunks.done()) {
              bodyEnded();
            }
          }
          default -> {
            // CLOSED, LINGERING: a refusal is answered, or the connection is closing; nothing more is read from it.
            passOn(in, pass, i);
            split = true;
            pass = end;
            break loop;
          }
        }
      }
      if (!split) {
        ByteBuf whole = in;
        in = null; // the buffer goes on as it is, and its ownership with it
        ctx.fireChannelRead(whole);
        return;
      }
      passOn(in, pass, i);
    } finally {
      if (in != null) {
        in.release();
      }
    }
  }

  /** Fires {@code [from, to)} of {@code in} as a retained slice. */
  private void passOn(ByteBuf in, int from, int to) {
    if (to > from) {
      ctx.fireChannelRead(in.retainedSlice(from, to - from));
    }
  }

  /** The rest of a head that arrived in pieces. */
  private void completePartial() {
    ByteBuf buf = partial;
    int start = buf.readerIndex();
    int headEnd = HeadParser.findEnd(buf, start, buf.writerIndex());
    if (headEnd == HeadParser.BARE_LF) {
      refuse(HeadParser.bareLf(buf, start, buf.writerIndex()));
      return;
    }
    if (headEnd < 0) {
      GuardedRequest tooLarge = parser.checkIncomplete(buf, start, buf.writerIndex());
      if (tooLarge != null) {
        refuse(tooLarge);
      }
      return;
    }
    GuardedRequest head = parser.parse(buf, start, headEnd);
    if (head.refusal() != null) {
      refuse(head);
      return;
    }
    partial = null;
    accept(head);
    ByteBuf rest = headEnd < buf.writerIndex() ? buf.retainedSlice(headEnd, buf.writerIndex() - headEnd) : null;
    ctx.fireChannelRead(buf.slice(start, headEnd - start));
    if (rest != null) {
      read(rest);
    }
  }

  /** Queues an accepted head for its exchange (before its bytes go on) and follows its body. */
  private void accept(GuardedRequest head) {
    cancelHeadTimer();
    emptyLines = 0;
    heads.add(head);
    long length = head.bodyLength();
    if (length == GuardedRequest.CHUNKED) {
      streaming = head;
      chunks.reset();
      state = BODY_CHUNKED;
    } else if (length > 0) {
      streaming = head;
      bodyRemaining = length;
      state = BODY_LENGTH;
    }
  }

  private void bodyEnded() {
    streaming = null;
    state = HEAD;
  }

  /**
   * Answers a refused head through Vert.x, in pipeline order: the decoder gets a fixed head that asks to
   * close, and its exchange takes the refusal from the queue.
   */
  private void refuse(GuardedRequest refused) {
    cancelHeadTimer();
    releasePartial();
    state = CLOSED;
    heads.add(refused);
    ctx.fireChannelRead(Unpooled.wrappedBuffer(REFUSED_HEAD));
  }

  /** The body being passed on is malformed: its exchange answers (or the connection closes); nothing more is read. */
  private void bodyFailed(@Nullable Refusal error) {
    state = CLOSED;
    GuardedRequest body = streaming;
    streaming = null;
    if (body == null || error == null || !body.bodyFailed(error)) {
      ctx.close();
    }
  }

  private void startHeadTimer() {
    if (headTimer == null && headersTimeoutMillis > 0 && ctx != null) {
      headTimer = ctx.executor().schedule(this::headTimedOut, headersTimeoutMillis, TimeUnit.MILLISECONDS);
    }
  }

  private void cancelHeadTimer() {
    ScheduledFuture<?> t = headTimer;
    if (t != null) {
      t.cancel(false);
      headTimer = null;
    }
  }

  private void headTimedOut() {
    headTimer = null;
    if (state != HEAD || !ctx.channel().isActive()) {
      return;
    }
    ByteBuf p = partial;
    GuardedRequest refused = p == null
        ? GuardedRequest.refused(HEADERS_TIMEOUT, "", "")
        : HeadParser.refuse(HEADERS_TIMEOUT, p, p.readerIndex(), p.writerIndex());
    refuse(refused);
  }

  /** The connection is gone: its timers and held bytes go with it. */
  private void release() {
    cancelHeadTimer();
    ScheduledFuture<?> t = lingerTimer;
    if (t != null) {
      t.cancel(false);
      lingerTimer = null;
    }
    releasePartial();
  }

  private void releasePartial() {
    ByteBuf p = partial;
    if (p != null) {
      partial = null;
      p.release();
    }
  }
}
