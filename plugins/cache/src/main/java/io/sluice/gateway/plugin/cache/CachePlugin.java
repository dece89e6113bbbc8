// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.cache;

import org.pf4j.Plugin;

/**
 * The plugin's lifecycle: when its generation is retired (a plugin reload), the purge rules' poll timers stop,
 * so that the retired class loader can go.
 */
public final class CachePlugin extends Plugin {

  @Override
  public void stop() {
    Purges.stopAll();
  }
}
