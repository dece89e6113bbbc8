// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.plugin;

import io.sluice.gateway.platform.config.DirectoryFingerprint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's plugins, as a sequence of {@link PluginGeneration}s. {@link #loadNext()} builds a new
 * generation from the plugins directory; the caller recompiles the route table against it and then
 * {@link #install}s it, or {@link PluginGeneration#close() closes} it when the configuration does not fit.
 * Superseded generations are closed by {@link #retireIdle()} once no request uses them. Blocking: call off the
 * event loop.
 */
public final class PluginHost implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PluginHost.class);

  private final Path directory;
  private final Path work;
  private final String platformVersion;
  private final List<PluginGeneration> retiring = new ArrayList<>();
  private volatile PluginGeneration current;
  private int generations;

  private PluginHost(Path directory, Path work, String platformVersion) {
    this.directory = directory;
    this.work = work;
    this.platformVersion = platformVersion;
  }

  /** Loads the plugins directory (created when missing) as generation 1. */
  public static PluginHost start(Path directory, String platformVersion) {
    try {
      Files.createDirectories(directory);
      Path work = Files.createTempDirectory("sluice-plugins-");
      PluginHost host = new PluginHost(directory, work, platformVersion);
      host.current = host.loadNext();
      host.current.announce();
      return host;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare plugins from " + directory, e);
    }
  }

  /** A new generation from the directory as it is now; not yet in use. */
  public synchronized PluginGeneration loadNext() {
    int number = ++generations;
    try {
      return PluginGeneration.load(number, directory, work.resolve("generation-" + number), platformVersion);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load plugins from " + directory, e);
    }
  }

  /** Makes {@code next} current; the previous generation retires once its requests are done. */
  public synchronized void install(PluginGeneration next) {
    PluginGeneration previous = current;
    current = next;
    next.announce();
    if (previous != null && previous != next) {
      retiring.add(previous);
    }
    retireIdle();
  }

  /** The plugins directory this host loads from. */
  public Path directory() {
    return directory;
  }

  public PluginGeneration current() {
    return current;
  }

  /** Closes superseded generations that no request uses any more. Cheap; the gateway calls it periodically. */
  public synchronized void retireIdle() {
    for (Iterator<PluginGeneration> it = retiring.iterator(); it.hasNext(); ) {
      PluginGeneration g = it.next();
      if (g.inFlight() == 0) {
        g.close();
        it.remove();
        log.info("plugin generation {} retired", g.number());
      }
    }
  }

  /** Superseded generations still serving requests in flight. */
  public synchronized int retiringCount() {
    return retiring.size();
  }

  /** A fingerprint of the plugin files (names, sizes, modification times), to notice changes. */
  public String fingerprint() {
    return DirectoryFingerprint.of(directory, PluginGeneration::isPluginFile);
  }

  @Override
  public synchronized void close() {
    for (PluginGeneration g : retiring) {
      g.close();
    }
    retiring.clear();
    if (current != null) {
      current.close();
    }
    try (Stream<Path> walk = Files.walk(work)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.warn("cannot delete {}: {}", work, e.toString());
    }
  }
}
