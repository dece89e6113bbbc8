// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.proxy;

import io.sluice.gateway.api.BodyTooLargeException;
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
final class LimitedBody extends ForwardingBody {

  private final long limit;
  private final LongConsumer onOverflow;
  private long received;
  private @Nullable Handler<Throwable> exceptionHandler;

  /**
   * @param onOverflow told the limit as soon as it is passed, before the stream fails
   */
  LimitedBody(ReadStream<Buffer> source, long limit, LongConsumer onOverflow) {
    super(source);
    this.limit = limit;
    this.onOverflow = onOverflow;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(@Nullable Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return super.exceptionHandler(handler);
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
}
