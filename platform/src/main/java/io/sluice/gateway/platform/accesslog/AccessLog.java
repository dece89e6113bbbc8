// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.accesslog;

import io.sluice.gateway.platform.config.AccessLogConfig;
import io.sluice.gateway.platform.exchange.ExchangeListener;
import io.sluice.gateway.platform.exchange.FinishedExchange;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log: an {@link ExchangeListener} that writes one JSON line per finished exchange ({@link
 * AccessLogLine}). {@link #finished} never blocks: it queues the record, and a writer thread formats and writes
 * the queue in batches, flushing after each batch, so no formatting happens on an event loop. When the queue is full (the sink cannot keep up)
 * lines are dropped and counted, and the count is written as its own line once the writer catches up: losing
 * log lines is better than stalling every request behind the disk.
 */
public final class AccessLog implements ExchangeListener, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AccessLog.class);
  private static final int CAPACITY = 65_536;
  private static final Object STOP = new Object();

  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final AtomicLong dropped = new AtomicLong();
  private final boolean enabled;
  private final OutputStream out;
  private final Thread writer;
  private final SuccessSampler successes;
  /** Whether successes are sampled at all (false at {@code sampleSuccess: 1.0}: no call per exchange). */
  private final boolean sampling;

  private AccessLog(boolean enabled, OutputStream out, double sampleSuccess) {
    this(enabled, out, sampleSuccess >= 1.0 ? null : SuccessSampler.ratio(sampleSuccess));
  }

  /** @param successes decides which successful exchanges are logged; null logs all of them */
  AccessLog(boolean enabled, OutputStream out, @Nullable SuccessSampler successes) {
    this.enabled = enabled;
    this.out = out;
    this.sampling = successes != null;
    this.successes = successes != null ? successes : () -> true;
    this.writer = new Thread(this::drain, "sluice-access-log");
    this.writer.setDaemon(true);
    if (enabled) {
      writer.start();
    }
  }

  /** An access log as configured; a file target's parent directories are created. */
  public static AccessLog open(AccessLogConfig config) throws IOException {
    if (!config.enabled()) {
      return new AccessLog(false, OutputStream.nullOutputStream(), 1.0);
    }
    if (config.target() == AccessLogConfig.Target.STDOUT) {
      return new AccessLog(true, new FileOutputStream(java.io.FileDescriptor.out), config.sampleSuccess());
    }
    Path file = Path.of(config.file());
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    return new AccessLog(true, new BufferedOutputStream(new FileOutputStream(file.toFile(), true), 64 * 1024),
        config.sampleSuccess());
  }

  public boolean enabled() {
    return enabled;
  }

  /** The access log's {@code cache} and {@code rateLimitRemaining} fields come from the response's headers. */
  @Override
  public boolean readsResponseHeaders() {
    return enabled;
  }

  /**
   * Queues the exchange's line. Never blocks. With {@code sampleSuccess} below 1, a success (a complete 2xx or
   * 3xx without a problem key) is queued only when the sampler keeps it; every other exchange always is.
   */
  @Override
  public void finished(FinishedExchange exchange) {
    if (!enabled) {
      return;
    }
    if (sampling && success(exchange) && !successes.keep()) {
      return;
    }
    if (!queue.offer(exchange)) {
      dropped.incrementAndGet();
    }
  }

  static boolean success(FinishedExchange e) {
    return e.status() >= 200 && e.status() < 400 && e.error() == null && !e.aborted();
  }

  private void drain() {
    List<Object> batch = new ArrayList<>(1024);
    StringBuilder sb = new StringBuilder(64 * 1024);
    boolean running = true;
    while (running) {
      try {
        Object first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, 4096);
        for (Object item : batch) {
          if (item == STOP) {
            running = false;
            continue;
          }
          AccessLogLine.append(sb, (FinishedExchange) item);
          sb.append('\n');
        }
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
          sb.append("{\"accessLogDropped\":").append(lost).append("}\n");
        }
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running = false;
      } catch (IOException e) {
        log.warn("access log write failed: {}", e.toString());
      } finally {
        batch.clear();
        sb.setLength(0);
      }
    }
  }

  /** Writes what is queued and stops the writer. */
  @Override
  public void close() {
    if (!enabled) {
      return;
    }
    try {
      queue.put(STOP);
      writer.join(5000);
      out.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      log.warn("access log flush failed: {}", e.toString());
    }
  }
}
