// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.proxy;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import org.jspecify.annotations.Nullable;

/**
 * The stream idle timeout of one exchange (Envoy's {@code stream_idle_timeout}): expires when neither body has
 * moved for {@code idle}. Vert.x's request idle timeout stops at the upstream's response head, so a backend
 * that sends a head and then stalls would otherwise hold the client until the connection idle timeout.
 *
 * <p>Watching costs a timestamp per chunk; {@link ExchangeDeadlines} asks {@link #expired} on its tick.
 * Event-loop confined.
 */
final class IdleWatch {

  private final long idleNanos;
  private long lastActivity;
  private boolean watching;
  private boolean stopped;

  IdleWatch(long idleMillis) {
    this.idleNanos = idleMillis * 1_000_000;
  }

  /** Starts the clock (once; later calls while watching change nothing). */
  void start() {
    if (!stopped && !watching) {
      watching = true;
      lastActivity = System.nanoTime();
    }
  }

  void stop() {
    stopped = true;
    watching = false;
  }

  /** Whether both bodies have been quiet for the idle time at {@code now}; it then stops watching. */
  boolean expired(long now) {
    if (watching && now - lastActivity >= idleNanos) {
      stop();
      return true;
    }
    return false;
  }

  /** {@code source}, with every chunk counted as activity. */
  ReadStream<Buffer> watch(ReadStream<Buffer> source) {
    return new ForwardingBody(source) {
      @Override
      public ReadStream<Buffer> handler(@Nullable Handler<Buffer> handler) {
        source.handler(handler == null ? null : chunk -> {
          lastActivity = System.nanoTime();
          handler.handle(chunk);
        });
        return this;
      }
    };
  }
}
