// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.testkit;

import io.sluice.gateway.api.Body;
import io.sluice.gateway.api.BodyTooLargeException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import org.jspecify.annotations.Nullable;

/** An in-memory body. {@link #limit()} shows the cap a policy set. */
public final class FakeBody implements Body {

  private Buffer content;
  private final long declaredLength;
  private long limit = Long.MAX_VALUE;

  /**
   * @param declaredLength what {@link #length()} reports (-1 for a chunked body)
   */
  public FakeBody(Buffer content, long declaredLength) {
    this.content = content;
    this.declaredLength = declaredLength;
  }

  public static FakeBody of(String text) {
    Buffer b = Buffer.buffer(text);
    return new FakeBody(b, b.length());
  }

  @Override
  public long length() {
    return declaredLength;
  }

  @Override
  public Future<Buffer> buffer(long maxBytes) {
    if (content.length() > maxBytes) {
      return Future.failedFuture(new BodyTooLargeException(maxBytes));
    }
    return Future.succeededFuture(content);
  }

  @Override
  public void limit(long maxBytes) {
    limit = Math.min(limit, maxBytes);
  }

  public long limit() {
    return limit;
  }

  /** The content as it is now, when it fits in {@code maxBytes}; null otherwise (as a real body that outgrew the cap). */
  @Override
  public Future<@Nullable Buffer> copy(long maxBytes) {
    return Future.succeededFuture(content.length() > maxBytes ? null : content.copy());
  }

  @Override
  public void set(Buffer body) {
    content = body;
  }

  public Buffer content() {
    return content;
  }
}
