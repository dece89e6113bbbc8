// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.proxy;

import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import org.jspecify.annotations.Nullable;

/**
 * A body stream that keeps a copy of what passes, up to a cap ({@link io.sluice.gateway.api.Body#copy}): the
 * chunks go on unchanged and with the same back-pressure; the copy is dropped as soon as it outgrows the cap,
 * and the promise completes at the end (with the copy, or null) or with null when the stream fails.
 */
final class CopyingBody extends ForwardingBody {

  private final long max;
  private final Promise<@Nullable Buffer> done;
  private @Nullable Buffer collected = Buffer.buffer();

  /** @param sentFirst a first chunk that was sent ahead of {@code source} (copied first), or null */
  CopyingBody(ReadStream<Buffer> source, long max, Promise<@Nullable Buffer> done, @Nullable Buffer sentFirst) {
    super(source);
    this.max = max;
    this.done = done;
    if (sentFirst != null) {
      collected = sentFirst.length() > max ? null : sentFirst.copy();
    }
  }

  @Override
  public ReadStream<Buffer> handler(@Nullable Handler<Buffer> handler) {
    if (handler == null) {
      source.handler(null);
      return this;
    }
    source.handler(chunk -> {
      Buffer c = collected;
      if (c != null) {
        if (c.length() + chunk.length() > max) {
          collected = null;
        } else {
          c.appendBuffer(chunk);
        }
      }
      handler.handle(chunk);
    });
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(@Nullable Handler<Void> endHandler) {
    if (endHandler == null) {
      source.endHandler(null);
      return this;
    }
    source.endHandler(v -> {
      done.tryComplete(collected);
      endHandler.handle(v);
    });
    return this;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(@Nullable Handler<Throwable> handler) {
    source.exceptionHandler(err -> {
      collected = null;
      done.tryComplete(null);
      if (handler != null) {
        handler.handle(err);
      }
    });
    return this;
  }
}
