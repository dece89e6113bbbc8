// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.proxy;

import io.vertx.core.Vertx;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timeouts of the exchanges on one event loop (response head, stream idle), checked by one periodic tick
 * instead of a timer per exchange: scheduling and cancelling a Vert.x timer costs a map entry and a priority
 * queue insert and removal, two or three times per request, which showed up as about 10% of a proxied
 * request's CPU. Here an exchange costs two pointer updates; a tick walks the exchanges in flight.
 *
 * <p>Timeouts fire up to {@value #TICK_MS} ms late. The tick runs while exchanges are registered and stops
 * after a second without any. Event-loop confined: every method runs on the loop that owns the instance.
 */
final class ExchangeDeadlines {

  private static final Logger log = LoggerFactory.getLogger(ExchangeDeadlines.class);

  static final long TICK_MS = 10;
  private static final int IDLE_TICKS_BEFORE_STOPPING = 100;

  private final Vertx vertx;
  private @Nullable ProxyExchange head;
  private long timer = -1;
  private int idleTicks;

  ExchangeDeadlines(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Starts checking {@code exchange} (idempotent). */
  void add(ProxyExchange exchange) {
    if (exchange.timed) {
      return;
    }
    exchange.timed = true;
    exchange.prevTimed = null;
    exchange.nextTimed = head;
    if (head != null) {
      head.prevTimed = exchange;
    }
    head = exchange;
    if (timer < 0) {
      timer = vertx.setPeriodic(TICK_MS, id -> tick());
    }
  }

  /** Stops checking {@code exchange} (idempotent). */
  void remove(ProxyExchange exchange) {
    if (!exchange.timed) {
      return;
    }
    exchange.timed = false;
    ProxyExchange prev = exchange.prevTimed;
    ProxyExchange next = exchange.nextTimed;
    if (prev != null) {
      prev.nextTimed = next;
    } else {
      head = next;
    }
    if (next != null) {
      next.prevTimed = prev;
    }
    exchange.prevTimed = null;
    exchange.nextTimed = null;
  }

  private void tick() {
    if (head == null) {
      if (++idleTicks >= IDLE_TICKS_BEFORE_STOPPING) {
        vertx.cancelTimer(timer);
        timer = -1;
        idleTicks = 0;
      }
      return;
    }
    idleTicks = 0;
    long now = System.nanoTime();
    ProxyExchange e = head;
    while (e != null) {
      ProxyExchange next = e.nextTimed;
      try {
        e.checkDeadlines(now);
      } catch (RuntimeException ex) {
        log.error("timeout handling failed", ex);
      }
      e = next;
    }
  }
}
