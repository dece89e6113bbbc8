// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.jwt;

import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.api.auth.Consumers;
import io.sluice.gateway.api.auth.Credential;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A small {@link Consumers} for these tests: consumers with jwt credentials (until the test kit has one). */
final class TestConsumers implements Consumers {

  private final List<Consumer> consumers = new ArrayList<>();
  private final List<Credential<JwtCredential>> jwt = new ArrayList<>();

  TestConsumers add(Consumer consumer, JwtCredential... credentials) {
    consumers.add(consumer);
    for (JwtCredential c : credentials) {
      jwt.add(new Credential<>(consumer, c));
    }
    return this;
  }

  @Override
  public @Nullable Consumer byId(String id) {
    return consumers.stream().filter(c -> c.id().equals(id)).findFirst().orElse(null);
  }

  @Override
  public List<Consumer> all() {
    return List.copyOf(consumers);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <C> List<Credential<C>> credentials(String kind, Class<C> type) {
    if (!kind.equals("jwt") || type != JwtCredential.class) {
      return List.of();
    }
    return (List<Credential<C>>) (List<?>) List.copyOf(jwt);
  }
}
