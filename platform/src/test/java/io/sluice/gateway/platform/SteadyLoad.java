// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.platform.TestClient.Reply;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Clients that keep requesting one path, each on its own thread and connection, while a test changes the
 * gateway under them (a reload, a plugin replaced), and keep every reply that is not what the test accepts.
 * {@link #stop} ends them and checks that none is stuck in a request.
 */
final class SteadyLoad {

  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger ok = new AtomicInteger();
  private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
  private final List<Thread> clients = new ArrayList<>();

  /** Starts {@code clients} threads requesting {@code path} on {@code port}; {@code good} says which replies pass. */
  static SteadyLoad start(Vertx vertx, int clients, int port, String path, Predicate<Reply> good) {
    SteadyLoad load = new SteadyLoad();
    for (int i = 0; i < clients; i++) {
      Thread t = new Thread(() -> {
        try (TestClient c = new TestClient(vertx)) {
          while (load.running.get()) {
            Reply r = c.get(port, path);
            if (good.test(r)) {
              load.ok.incrementAndGet();
            } else {
              load.failures.add(r.status() + " " + r.headers() + " " + r.body());
            }
          }
        } catch (RuntimeException e) {
          load.failures.add(e.toString());
        }
      }, "steady-load-" + i);
      t.start();
      load.clients.add(t);
    }
    return load;
  }

  /** Ends the clients (each finishes its request in flight) and fails when one does not end within 30 s. */
  SteadyLoad stop() throws InterruptedException {
    running.set(false);
    for (Thread t : clients) {
      t.join(30_000);
      assertThat(t.isAlive()).as("a client is stuck in a request").isFalse();
    }
    return this;
  }

  /** The replies the predicate refused, and the clients' exceptions. */
  List<String> failures() {
    return List.copyOf(failures);
  }

  /** How many replies passed. */
  int ok() {
    return ok.get();
  }
}
