// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api.auth;

import io.sluice.gateway.api.Consumer;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@link Consumers#none()}. */
enum NoConsumers implements Consumers {
  INSTANCE;

  @Override
  public @Nullable Consumer byId(String id) {
    return null;
  }

  @Override
  public List<Consumer> all() {
    return List.of();
  }

  @Override
  public <C> List<Credential<C>> credentials(String kind, Class<C> type) {
    return List.of();
  }
}
