// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import io.vertx.core.Future;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Checks that a listener's port is free before the slow parts of start-up (plugins, script warm-ups) run, so a
 * port already in use fails in milliseconds and names the port and its key rather than after the warm-ups as
 * Netty's {@code bind(..) failed with error(-98)}.
 */
final class Ports {

  private Ports() {}

  /**
   * @param key the config key, e.g. {@code server.port}
   * @throws StartupFailure when something else listens there (or the address cannot be bound)
   */
  static void requireFree(String host, int port, String key) {
    if (port == 0) {
      return;
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(host, port));
    } catch (BindException e) {
      throw inUse(host, port, key, e);
    } catch (IOException | IllegalArgumentException | SecurityException e) {
      throw new StartupFailure("cannot listen on " + host + ":" + port + " (" + key + "): " + e.getMessage());
    }
  }

  /**
   * {@code listening}, whose failure to bind (the port was taken after {@link #requireFree}) says so in the same
   * words; other failures pass through.
   */
  static <T> Future<T> namingBindFailure(Future<T> listening, String host, int port, String key) {
    return listening.recover(e -> {
      for (Throwable t = e; t != null; t = t.getCause()) {
        String m = String.valueOf(t.getMessage());
        if (t instanceof BindException || m.contains("Address already in use") || m.contains("error(-98)")) {
          return Future.failedFuture(new StartupFailure("port " + port + " (" + key + ") is already in use"));
        }
      }
      return Future.failedFuture(e);
    });
  }

  private static StartupFailure inUse(String host, int port, String key, BindException e) {
    String m = String.valueOf(e.getMessage());
    if (m.contains("Cannot assign requested address")) {
      return new StartupFailure("cannot listen on " + host + ":" + port + " (" + key + "): no such local address " + host);
    }
    if (m.contains("Permission denied")) {
      return new StartupFailure("cannot listen on port " + port + " (" + key + "): permission denied (ports below 1024 need privileges)");
    }
    return new StartupFailure("port " + port + " (" + key + ") is already in use");
  }
}
