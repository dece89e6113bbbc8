// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * 50 MB bodies through the proxy in both directions. The assertions show streaming rather than buffering:
 * the receiving side gets its first bytes while the sending side is still writing, and a paused client
 * holds the backend back (back-pressure) instead of the gateway soaking up the body.
 */
@ExtendWith(VertxExtension.class)
class StreamingIT {

  private static final int CHUNK = 64 * 1024;
  private static final long SIZE = 50L * 1024 * 1024;

  @TempDir Path dir;

  @Test
  void streamsALargeResponseWithBackPressure(Vertx vertx) throws Exception {
    AtomicLong written = new AtomicLong();
    AtomicBoolean backendDone = new AtomicBoolean();
    CRC32 sentCrc = new CRC32();
    TestBackend backend = TestBackend.start(vertx, request -> {
      HttpServerResponse response = request.response().setChunked(true);
      writeUntilFull(response, written, sentCrc, backendDone);
    });
    try (TestGateway gw = TestGateway.start(dir, route(backend.url()))) {
      CRC32 receivedCrc = new CRC32();
      AtomicLong received = new AtomicLong();
      AtomicBoolean backendDoneAtFirstChunk = new AtomicBoolean(true);
      AtomicLong writtenWhilePaused = new AtomicLong();
      Promise<Void> done = Promise.promise();
      TestClient client = new TestClient(vertx);
      // Handlers are set in the callback, on the event loop, before any body chunk can be delivered.
      client.onContext(() -> client.raw()
          .request(HttpMethod.GET, gw.port(), "127.0.0.1", "/big")
          .compose(req -> req.send()))
          .onFailure(done::tryFail)
          .onSuccess(response -> {
            response.handler(chunk -> {
              if (received.get() == 0) {
                backendDoneAtFirstChunk.set(backendDone.get());
                // Stop reading for a while: a streaming proxy passes the pressure back to the backend.
                response.pause();
                vertx.setTimer(1000, t -> {
                  writtenWhilePaused.set(written.get());
                  response.resume();
                });
              }
              received.addAndGet(chunk.length());
              receivedCrc.update(chunk.getBytes());
            });
            response.endHandler(v -> done.complete());
            response.exceptionHandler(done::tryFail);
          });
      done.future().await(60, TimeUnit.SECONDS);
      client.close();

      assertThat(received.get()).isEqualTo(SIZE);
      assertThat(receivedCrc.getValue()).isEqualTo(sentCrc.getValue());
      assertThat(backendDoneAtFirstChunk.get()).as("backend finished before the client saw a byte").isFalse();
      assertThat(writtenWhilePaused.get()).as("bytes the backend could write while the client paused")
          .isLessThan(SIZE / 2);
    } finally {
      backend.close();
    }
  }

  @Test
  void streamsALargeRequestBody(Vertx vertx) throws Exception {
    AtomicLong received = new AtomicLong();
    CRC32 receivedCrc = new CRC32();
    AtomicBoolean clientDoneAtFirstChunk = new AtomicBoolean(true);
    AtomicBoolean clientDone = new AtomicBoolean();
    TestBackend backend = TestBackend.start(vertx, request -> {
      request.handler(chunk -> {
        if (received.get() == 0) {
          clientDoneAtFirstChunk.set(clientDone.get());
        }
        received.addAndGet(chunk.length());
        receivedCrc.update(chunk.getBytes());
      });
      request.endHandler(v -> request.response().end(String.valueOf(received.get())));
    });
    try (TestGateway gw = TestGateway.start(dir, route(backend.url()))) {
      TestClient client = new TestClient(vertx);
      CRC32 sentCrc = new CRC32();
      String answer = client.onContext(() -> client.raw()
          .request(HttpMethod.POST, gw.port(), "127.0.0.1", "/upload")
          .compose(req -> {
            req.putHeader("Content-Length", String.valueOf(SIZE));
            Promise<Void> sent = Promise.promise();
            writeRequest(req, new AtomicLong(), sentCrc, clientDone, sent);
            return req.response();
          })
          .compose(resp -> resp.body().map(Buffer::toString)))
          .await(60, TimeUnit.SECONDS);
      client.close();

      assertThat(answer).isEqualTo(String.valueOf(SIZE));
      assertThat(receivedCrc.getValue()).isEqualTo(sentCrc.getValue());
      assertThat(clientDoneAtFirstChunk.get()).as("client finished sending before the backend saw a byte").isFalse();
    } finally {
      backend.close();
    }
  }

  private static String route(String upstream) {
    return """
        routes:
          - id: big
            path: /**
            upstream: %s
            maxBodySize: 100MB
        """.formatted(upstream);
  }

  private static Buffer chunk(long offset) {
    byte[] bytes = new byte[CHUNK];
    for (int i = 0; i < CHUNK; i++) {
      bytes[i] = (byte) ((offset + i) * 31);
    }
    return Buffer.buffer(bytes);
  }

  private static void writeUntilFull(HttpServerResponse response, AtomicLong written, CRC32 crc, AtomicBoolean done) {
    while (written.get() < SIZE && !response.writeQueueFull()) {
      Buffer b = chunk(written.get());
      crc.update(b.getBytes());
      written.addAndGet(CHUNK);
      response.write(b);
    }
    if (written.get() >= SIZE) {
      done.set(true);
      response.end();
    } else {
      response.drainHandler(v -> writeUntilFull(response, written, crc, done));
    }
  }

  private static void writeRequest(
      io.vertx.core.http.HttpClientRequest req, AtomicLong written, CRC32 crc, AtomicBoolean done, Promise<Void> sent) {
    while (written.get() < SIZE && !req.writeQueueFull()) {
      Buffer b = chunk(written.get());
      crc.update(b.getBytes());
      written.addAndGet(CHUNK);
      req.write(b);
    }
    if (written.get() >= SIZE) {
      done.set(true);
      req.end().onComplete(sent);
    } else {
      req.drainHandler(v -> writeRequest(req, written, crc, done, sent));
    }
  }
}
