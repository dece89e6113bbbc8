// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.proxy;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import org.jspecify.annotations.Nullable;

/** A body stream that forwards everything to {@code source}; subclasses look at the chunks on the way. */
abstract class ForwardingBody implements ReadStream<Buffer> {

  protected final ReadStream<Buffer> source;

  ForwardingBody(ReadStream<Buffer> source) {
    this.source = source;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(@Nullable Handler<Throwable> handler) {
    source.exceptionHandler(handler);
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
