// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The configuration in a YAML file, loaded and bound by {@link ConfigLoader}. Its {@linkplain #version()
 * version} is the file's modification time and size: polled rather than watched with a {@code WatchService},
 * it behaves the same on bind mounts and Kubernetes ConfigMap symlink swaps, for one stat per check.
 */
public final class FileConfigSource implements ConfigSource {

  private final Path file;
  private final ConfigLoader loader;

  public FileConfigSource(Path file, ConfigLoader loader) {
    this.file = file;
    this.loader = loader;
  }

  /** The configuration file. */
  public Path file() {
    return file;
  }

  @Override
  public String name() {
    return file.toString();
  }

  @Override
  public Path directory() {
    Path dir = file.toAbsolutePath().getParent();
    return dir == null ? Path.of("").toAbsolutePath() : dir;
  }

  @Override
  public ConfigSnapshot read() {
    // The version first: a change while reading shows as a newer version at the next check.
    String version = version();
    ConfigLoader.Loaded loaded = loader.loadAll(file);
    return new ConfigSnapshot(name(), version, loaded.config(), loaded.problems());
  }

  @Override
  public String version() {
    try {
      return Files.getLastModifiedTime(file).toMillis() + ":" + Files.size(file);
    } catch (IOException e) {
      return "absent";
    }
  }
}
