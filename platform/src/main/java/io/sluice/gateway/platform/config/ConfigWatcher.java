// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import io.vertx.core.Vertx;
import io.vertx.core.file.FileProps;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Polls the configuration file's size and modification time (asynchronously, never blocking an event
 * loop) and calls back once per change. Polling rather than a WatchService: it works the same on every file
 * system, including bind mounts and Kubernetes ConfigMap symlink swaps, for the cost of one stat a second.
 */
public final class ConfigWatcher {

  private final Vertx vertx;
  private final String file;
  private final Runnable onChange;
  private final long timer;
  private @Nullable String lastSeen;

  private ConfigWatcher(Vertx vertx, Path file, Duration interval, Runnable onChange) {
    this.vertx = vertx;
    this.file = file.toString();
    this.onChange = onChange;
    this.timer = vertx.setPeriodic(interval.toMillis(), id -> poll());
  }

  /** Starts watching; the file as it is now counts as seen. */
  public static ConfigWatcher start(Vertx vertx, Path file, Duration interval, Runnable onChange) {
    ConfigWatcher watcher = new ConfigWatcher(vertx, file, interval, onChange);
    watcher.lastSeen = stamp(vertx.fileSystem().propsBlocking(file.toString()));
    return watcher;
  }

  private void poll() {
    vertx.fileSystem().props(file).onSuccess(props -> {
      String stamp = stamp(props);
      if (!stamp.equals(lastSeen)) {
        lastSeen = stamp;
        onChange.run();
      }
    });
  }

  private static String stamp(FileProps props) {
    return props.lastModifiedTime() + ":" + props.size();
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }
}
