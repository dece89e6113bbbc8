// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.testkit;

import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.api.auth.Consumers;
import io.sluice.gateway.api.auth.Credential;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Consumers and credentials for unit tests, given as the mechanism's records directly (no YAML, no binding):
 *
 * <pre>{@code
 * Consumer alice = new Consumer("alice", Set.of("gold"), Set.of(), Map.of());
 * Consumers consumers = TestConsumers.builder()
 *     .credential(alice, "key-auth", new KeyCredential("sha256:..."))
 *     .build();
 * try (PolicyHarness harness = new PolicyHarness().consumers(consumers)) {
 *   Policy policy = factory.create(config, harness.context("key-auth"));
 * }
 * }</pre>
 *
 * {@link Consumers#credentials} returns the credentials of a kind whose values are instances of the asked
 * type, and fails (like a binding error in the gateway) when one is not.
 */
public final class TestConsumers implements Consumers {

  private final Map<String, Consumer> byId;
  private final Map<String, List<Credential<Object>>> byKind;

  private TestConsumers(Map<String, Consumer> byId, Map<String, List<Credential<Object>>> byKind) {
    this.byId = byId;
    this.byKind = byKind;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public @Nullable Consumer byId(String id) {
    return byId.get(id);
  }

  @Override
  public List<Consumer> all() {
    return List.copyOf(byId.values());
  }

  @Override
  @SuppressWarnings("unchecked")
  public <C> List<Credential<C>> credentials(String kind, Class<C> type) {
    List<Credential<C>> out = new ArrayList<>();
    List<Credential<Object>> list = byKind.getOrDefault(kind, List.of());
    for (int i = 0; i < list.size(); i++) {
      Credential<Object> c = list.get(i);
      if (!type.isInstance(c.value())) {
        throw new io.sluice.gateway.api.config.ConfigException(
            "consumers[" + c.consumer().id() + "].credentials." + kind + "[" + i + "]",
            "is a " + c.value().getClass().getSimpleName() + ", not a " + type.getSimpleName());
      }
      out.add((Credential<C>) (Credential<?>) c);
    }
    return List.copyOf(out);
  }

  /** Collects consumers and their credentials. */
  public static final class Builder {
    private final Map<String, Consumer> byId = new LinkedHashMap<>();
    private final Map<String, List<Credential<Object>>> byKind = new LinkedHashMap<>();

    private Builder() {}

    /** A consumer without credentials (e.g. an anonymous fallback). */
    public Builder consumer(Consumer consumer) {
      byId.putIfAbsent(consumer.id(), consumer);
      return this;
    }

    /** A credential of {@code kind} ({@code key-auth}) for {@code consumer}, which is added if new. */
    public Builder credential(Consumer consumer, String kind, Object value) {
      consumer(consumer);
      byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(new Credential<>(byId.get(consumer.id()), value));
      return this;
    }

    public TestConsumers build() {
      Map<String, List<Credential<Object>>> kinds = new LinkedHashMap<>();
      byKind.forEach((k, v) -> kinds.put(k, List.copyOf(v)));
      return new TestConsumers(java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byId)), Map.copyOf(kinds));
    }
  }
}
