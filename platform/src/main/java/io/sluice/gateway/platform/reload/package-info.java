// SPDX-License-Identifier: Apache-2.0
/**
 * Hot reload: the {@link io.sluice.gateway.platform.reload.Reloader} that watches the configuration source,
 * the plugins directory and the script files with one periodic check, compiles what changed off the event
 * loop and swaps it in atomically, or refuses it whole with a {@link
 * io.sluice.gateway.platform.reload.ReloadRefused} that names the source and lists every problem.
 */
@NullMarked
package io.sluice.gateway.platform.reload;

import org.jspecify.annotations.NullMarked;
