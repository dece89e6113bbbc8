// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.proxy;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;

/**
 * A request body of unknown length (chunked, or HTTP/2 without {@code Content-Length}) that fails with
 * {@link BodyTooLargeException} as soon as more than {@code limit} bytes have arrived, before the excess is
 * passed on. Bodies with a {@code Content-Length} are checked up front instead.
 */
final class LimitedBody implements ReadStream<Buffer> {

  private final ReadStream<Buffer> source;
  private final long limit;
  private final LongConsumer onOverflow;
  private long received;
  private @Nullable Handler<Throwable> exceptionHandler;

  /**
   * @param onOverflow told the limit as soon as it is passed, before the stream fails
   */
  LimitedBody(ReadStream<Buffer> source, long limit, LongConsumer onOverflow) {
    this.source = source;
    this.limit = limit;
    this.onOverflow = onOverflow;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(@Nullable Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    source.exceptionHandler(handler);
    return this;
  }

  @Override
  public ReadStream<Buffer> handler(@Nullable Handler<Buffer> handler) {
    if (handler == null) {
      source.handler(null);
      return this;
    }
    source.handler(
        chunk -> {
          if (received < 0) {
            return;
          }
          received += chunk.length();
          if (received > limit) {
            received = -1;
            source.pause();
            onOverflow.accept(limit);
            Handler<Throwable> h = exceptionHandler;
            if (h != null) {
              h.handle(new BodyTooLargeException(limit));
            }
            return;
          }
          handler.handle(chunk);
        });
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    source.pause();
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    source.resume();
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    source.fetch(amount);
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(@Nullable Handler<Void> endHandler) {
    source.endHandler(endHandler);
    return this;
  }
}
