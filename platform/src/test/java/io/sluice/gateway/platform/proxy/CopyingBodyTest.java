// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** {@code Body.copy}: a capped copy kept while the body streams on unchanged (what the cache plugin stores). */
class CopyingBodyTest {

  /** A stream the test drives chunk by chunk. */
  private static final class Source implements ReadStream<Buffer> {
    @Nullable Handler<Buffer> handler;
    @Nullable Handler<Void> end;
    @Nullable Handler<Throwable> error;

    @Override
    public ReadStream<Buffer> exceptionHandler(@Nullable Handler<Throwable> h) {
      error = h;
      return this;
    }

    @Override
    public ReadStream<Buffer> handler(@Nullable Handler<Buffer> h) {
      handler = h;
      return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
      return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
      return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
      return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(@Nullable Handler<Void> h) {
      end = h;
      return this;
    }
  }

  private static List<String> drain(ReadStream<Buffer> s, boolean[] ended) {
    List<String> seen = new ArrayList<>();
    s.handler(b -> seen.add(b.toString()));
    s.endHandler(v -> ended[0] = true);
    s.exceptionHandler(err -> { });
    return seen;
  }

  @Test
  void copiesABodyWithinTheCapAndPassesEveryChunkOn() {
    Source source = new Source();
    StreamBody body = new StreamBody(source, -1);
    Future<@Nullable Buffer> copy = body.copy(10);
    boolean[] ended = {false};
    List<String> seen = drain(body.sending(source), ended);
    source.handler.handle(Buffer.buffer("hello "));
    source.handler.handle(Buffer.buffer("you"));
    assertThat(copy.isComplete()).isFalse();
    source.end.handle(null);
    assertThat(seen).containsExactly("hello ", "you");
    assertThat(ended[0]).isTrue();
    assertThat(copy.result()).hasToString("hello you");
  }

  @Test
  void dropsTheCopyOfABodyThatOutgrowsTheCapButStreamsItAll() {
    Source source = new Source();
    StreamBody body = new StreamBody(source, -1);
    Future<@Nullable Buffer> copy = body.copy(4);
    boolean[] ended = {false};
    List<String> seen = drain(body.sending(source), ended);
    source.handler.handle(Buffer.buffer("abc"));
    source.handler.handle(Buffer.buffer("def"));
    source.end.handle(null);
    assertThat(seen).containsExactly("abc", "def");
    assertThat(copy.succeeded()).isTrue();
    assertThat(copy.result()).isNull();
  }

  @Test
  void aBrokenOrUnsentBodyGivesNoCopy() {
    Source source = new Source();
    StreamBody broken = new StreamBody(source, -1);
    Future<@Nullable Buffer> copy = broken.copy(100);
    drain(broken.sending(source), new boolean[1]);
    source.handler.handle(Buffer.buffer("par"));
    source.error.handle(new IllegalStateException("reset"));
    assertThat(copy.result()).isNull();

    StreamBody unsent = new StreamBody(new Source(), 5);
    Future<@Nullable Buffer> never = unsent.copy(100);
    unsent.endCopy();
    assertThat(never.succeeded()).isTrue();
    assertThat(never.result()).isNull();
  }

  @Test
  void aBodySentWholeIsCopiedFromItsBufferAndWithoutACopyTheStreamIsUntouched() {
    Source source = new Source();
    StreamBody body = new StreamBody(source, 3);
    assertThat(body.sending(source)).isSameAs(source);
    Future<@Nullable Buffer> copy = body.copy(100);
    assertThat(body.copy(1)).as("later calls return the same future").isSameAs(copy);
    Buffer whole = Buffer.buffer("abc");
    body.sentWhole(whole);
    whole.setByte(0, (byte) 'x');
    assertThat(copy.result()).hasToString("abc");
  }

  @Test
  void aFirstChunkSentAheadIsPartOfTheCopy() {
    // an HTTP/2 request body of unknown length: its first chunk was read to learn whether there is a body
    Source source = new Source();
    StreamBody body = new StreamBody(source, -1);
    Future<@Nullable Buffer> copy = body.copy(100);
    drain(body.sending(source, Buffer.buffer("first,")), new boolean[1]);
    source.handler.handle(Buffer.buffer("rest"));
    source.end.handle(null);
    assertThat(copy.result()).hasToString("first,rest");
  }
}
