// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import java.nio.file.Path;

/**
 * Where the gateway's configuration comes from. The gateway and its reloader ask a source, never a file:
 * today the one implementation is {@link FileConfigSource}; the admin API and the cluster are to be others.
 *
 * <p>Both methods block (they may read files): call them on a worker thread, never on an event loop.
 */
public interface ConfigSource {

  /** Names the source in errors, logs and refusals, e.g. the file's path. */
  String name();

  /** The directory that relative paths in this source's configurations ({@code plugins.dir}, ...) resolve against. */
  Path directory();

  /** Reads and binds the source's configuration as it is now. Never throws for an invalid one: it reports it. */
  ConfigSnapshot read();

  /**
   * A stamp of the source's current state: it changes when the configuration may have changed, so that a
   * watcher can compare two stamps instead of reading the whole configuration. Cheap.
   */
  String version();
}
