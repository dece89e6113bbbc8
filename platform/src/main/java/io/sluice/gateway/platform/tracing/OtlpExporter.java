// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.tracing;

import io.sluice.gateway.platform.config.TracingConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends recorded exchanges to an OTLP/HTTP collector as JSON ({@link OtlpJson}). The event loop only
 * {@link #offer offers} a finished span to a bounded queue (never blocks; when the queue is full the span is
 * dropped and counted, as the access log drops lines); one daemon thread drains it in batches of
 * {@code maxBatchSize}, or every {@code exportInterval}, formats and POSTs them with the JDK's HTTP client. A
 * failed export is dropped (logged at most once a minute), never retried against a collector that is down,
 * so a dead collector costs the gateway nothing but the queue's memory. What becomes of the spans is reported
 * to {@link SpanExports} (the metrics' counters).
 */
final class OtlpExporter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OtlpExporter.class);
  private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final BlockingQueue<ExchangeSpan> queue;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong exported = new AtomicLong();
  private final TracingConfig config;
  private final SpanExports counts;
  private final String version;
  private final URI endpoint;
  private final HttpClient http;
  private final Thread thread;
  private volatile boolean running = true;
  private long lastWarn = System.nanoTime() - WARN_EVERY_NANOS;

  OtlpExporter(TracingConfig config, String version, SpanExports counts) {
    this.config = config;
    this.counts = counts;
    this.version = version;
    this.endpoint = URI.create(config.endpoint());
    this.queue = new ArrayBlockingQueue<>(config.maxQueueSize());
    this.http = HttpClient.newBuilder().connectTimeout(config.exportTimeout()).build();
    this.thread = new Thread(this::run, "sluice-otlp-exporter");
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues a finished, recorded exchange. Never blocks. */
  void offer(ExchangeSpan span) {
    if (!queue.offer(span)) {
      dropped.incrementAndGet();
      counts.droppedQueueFull(span.spanCount());
    }
  }

  /** Exchanges exported so far, and dropped (queue full or export failed): for tests and the logs. */
  long exported() {
    return exported.get();
  }

  long dropped() {
    return dropped.get();
  }

  private void run() {
    List<ExchangeSpan> batch = new ArrayList<>(config.maxBatchSize());
    long intervalNanos = config.exportInterval().toNanos();
    long deadline = System.nanoTime() + intervalNanos;
    while (running || !queue.isEmpty()) {
      try {
        long wait = deadline - System.nanoTime();
        ExchangeSpan next = wait > 0 && running ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
        if (next != null) {
          batch.add(next);
          queue.drainTo(batch, config.maxBatchSize() - batch.size());
        }
        if (batch.size() >= config.maxBatchSize() || System.nanoTime() - deadline >= 0 || !running) {
          if (!batch.isEmpty()) {
            send(batch);
            batch.clear();
          }
          deadline = System.nanoTime() + intervalNanos;
        }
      } catch (InterruptedException e) {
        if (running) {
          Thread.currentThread().interrupt();
          return;
        }
        // close() woke the thread: the loop now sends what is left without waiting
      } catch (RuntimeException e) {
        dropped.addAndGet(batch.size());
        counts.droppedExportFailed(spans(batch));
        warn("tracing export failed: " + e);
        batch.clear();
      }
    }
  }

  private void send(List<ExchangeSpan> batch) throws InterruptedException {
    StringBuilder sb = new StringBuilder(batch.size() * 1024);
    OtlpJson.write(sb, config.serviceName(), version, batch);
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
        .timeout(config.exportTimeout())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(sb.toString()));
    for (Map.Entry<String, String> h : config.headers().entrySet()) {
      request.header(h.getKey(), h.getValue());
    }
    try {
      HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() / 100 == 2) {
        exported.addAndGet(batch.size());
        counts.exported(spans(batch));
        return;
      }
      dropped.addAndGet(batch.size());
      counts.droppedExportFailed(spans(batch));
      warn("tracing export to " + endpoint + " answered " + response.statusCode() + "; " + batch.size()
          + " exchanges' spans dropped");
    } catch (IOException e) {
      dropped.addAndGet(batch.size());
      counts.droppedExportFailed(spans(batch));
      warn("tracing export to " + endpoint + " failed: " + e + "; " + batch.size() + " exchanges' spans dropped");
    }
  }

  private static int spans(List<ExchangeSpan> batch) {
    int n = 0;
    for (ExchangeSpan span : batch) {
      n += span.spanCount();
    }
    return n;
  }

  /** A handled degradation: WARN, at most once a minute (the dropped count says how much). */
  private void warn(String message) {
    long now = System.nanoTime();
    if (now - lastWarn >= WARN_EVERY_NANOS) {
      lastWarn = now;
      log.warn("{} ({} dropped in total)", message, dropped.get());
    }
  }

  /** Exports what is queued (within {@code exportTimeout}) and stops. */
  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(config.exportTimeout().toMillis() + 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
