// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.proxy;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import org.jspecify.annotations.Nullable;

/**
 * The stream idle timeout of one exchange (Envoy's {@code stream_idle_timeout}): fires when neither body has
 * moved for {@code idle}. Vert.x's request idle timeout stops at the upstream's response head, so a backend
 * that sends a head and then stalls would otherwise hold the client until the connection idle timeout.
 *
 * <p>One timer per exchange, re-armed only when it fires and traffic happened meanwhile: watching costs a
 * timestamp per chunk, not a timer per chunk. Event-loop confined.
 */
final class IdleWatch {

  private final Vertx vertx;
  private final long idleNanos;
  private final Runnable onIdle;
  private long lastActivity = System.nanoTime();
  private long timer = -1;
  private boolean stopped;

  IdleWatch(Vertx vertx, long idleMillis, Runnable onIdle) {
    this.vertx = vertx;
    this.idleNanos = idleMillis * 1_000_000;
    this.onIdle = onIdle;
  }

  void start() {
    if (!stopped && timer < 0) {
      arm(idleNanos);
    }
  }

  private void arm(long delayNanos) {
    timer = vertx.setTimer(Math.max(1, delayNanos / 1_000_000), id -> {
      timer = -1;
      if (stopped) {
        return;
      }
      long quiet = System.nanoTime() - lastActivity;
      if (quiet >= idleNanos) {
        stopped = true;
        onIdle.run();
      } else {
        arm(idleNanos - quiet);
      }
    });
  }

  void stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
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
