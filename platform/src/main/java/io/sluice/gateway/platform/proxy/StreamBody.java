// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.proxy;

import io.sluice.gateway.api.Body;
import io.sluice.gateway.api.BodyTooLargeException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import org.jspecify.annotations.Nullable;

/**
 * A body that streams from {@code source} unless a policy asks for it whole ({@link #buffer}) or replaces it
 * ({@link #set}). The source must be paused while policies run. Event-loop confined.
 */
final class StreamBody implements Body {

  private @Nullable ReadStream<Buffer> source;
  private long length;
  private @Nullable Future<Buffer> reading;
  private @Nullable Buffer replacement;
  private long limit = Long.MAX_VALUE;
  /** The copy a policy asked for ({@link #copy}), and its cap. */
  private @Nullable Promise<@Nullable Buffer> copy;
  private long copyMax;

  StreamBody(@Nullable ReadStream<Buffer> source, long length) {
    this.source = source;
    this.length = length;
  }

  /** Binds the body to a source that became available later (the upstream response). */
  void attach(ReadStream<Buffer> source, long length) {
    this.source = source;
    this.length = length;
  }

  @Override
  public long length() {
    return replacement != null ? replacement.length() : length;
  }

  @Override
  public Future<Buffer> buffer(long maxBytes) {
    if (replacement != null) {
      return Future.succeededFuture(replacement);
    }
    if (reading != null) {
      return reading;
    }
    ReadStream<Buffer> s = source;
    if (s == null || length == 0) {
      reading = Future.succeededFuture(Buffer.buffer());
      return reading;
    }
    if (length > maxBytes) {
      reading = Future.failedFuture(new BodyTooLargeException(maxBytes));
      return reading;
    }
    Promise<Buffer> promise = Promise.promise();
    Buffer collected = Buffer.buffer(length > 0 ? (int) length : 1024);
    s.handler(chunk -> {
      if (collected.length() + chunk.length() > maxBytes) {
        s.handler(null);
        promise.tryFail(new BodyTooLargeException(maxBytes));
        return;
      }
      collected.appendBuffer(chunk);
    });
    s.exceptionHandler(promise::tryFail);
    s.endHandler(v -> promise.tryComplete(collected));
    s.resume();
    reading = promise.future();
    return reading;
  }

  @Override
  public void limit(long maxBytes) {
    limit = Math.min(limit, maxBytes);
  }

  /** The smallest cap a policy set, or {@code Long.MAX_VALUE}. */
  long limit() {
    return limit;
  }

  @Override
  public Future<@Nullable Buffer> copy(long maxBytes) {
    Promise<@Nullable Buffer> p = copy;
    if (p == null) {
      p = Promise.promise();
      copy = p;
      copyMax = maxBytes;
    }
    return p.future();
  }

  /** The stream to send: {@code s} itself, or a view that copies what passes when a policy asked for a copy. */
  ReadStream<Buffer> sending(ReadStream<Buffer> s) {
    return sending(s, null);
  }

  /** As {@link #sending(ReadStream)}, for a body whose first chunk {@code sentFirst} was sent on its own. */
  ReadStream<Buffer> sending(ReadStream<Buffer> s, @Nullable Buffer sentFirst) {
    Promise<@Nullable Buffer> p = copy;
    return p == null ? s : new CopyingBody(s, copyMax, p, sentFirst);
  }

  /** The body was sent whole from {@code whole} (read or replaced by a policy): the copy is of that. */
  void sentWhole(Buffer whole) {
    Promise<@Nullable Buffer> p = copy;
    if (p != null) {
      p.tryComplete(whole.length() > copyMax ? null : whole.copy());
    }
  }

  /** The exchange is over: a copy that is not complete by now never will be. */
  void endCopy() {
    Promise<@Nullable Buffer> p = copy;
    if (p != null) {
      p.tryComplete(null);
    }
  }

  @Override
  public void set(Buffer body) {
    replacement = body;
  }

  /** The whole body when a policy read or replaced it; null when it still streams from its source. */
  @Nullable Buffer content() {
    if (replacement != null) {
      return replacement;
    }
    Future<Buffer> r = reading;
    return r != null && r.succeeded() ? r.result() : null;
  }

  /** Whether the source was (or is being) consumed by {@link #buffer}, so it can no longer be streamed. */
  boolean consumed() {
    return reading != null;
  }
}
