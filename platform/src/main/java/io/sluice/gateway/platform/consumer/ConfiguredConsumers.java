// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.consumer;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.api.auth.Consumers;
import io.sluice.gateway.api.auth.Credential;
import io.sluice.gateway.api.config.ConfigException;
import io.sluice.gateway.platform.config.ConfigLoader;
import io.sluice.gateway.platform.config.ConsumerConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The {@code consumers:} of one configuration load. Credentials are bound on first request per mechanism and
 * record type with the configuration's own mapper (unknown keys are errors) and kept, so that every route's
 * policy of one type shares the binding. A credential that does not bind is reported with its full path,
 * {@code consumers[alice].credentials.key-auth[0].key: ...}; such a path is absolute (see {@link #isOwnPath}).
 */
public final class ConfiguredConsumers implements Consumers {

  private final List<ConsumerConfig> configs;
  private final Map<String, Consumer> byId;
  private final List<Consumer> all;
  private final ConfigLoader binder;
  private final Map<String, Object> bound = new ConcurrentHashMap<>();

  public ConfiguredConsumers(List<ConsumerConfig> configs, ConfigLoader binder) {
    this.configs = List.copyOf(configs);
    this.binder = binder;
    Map<String, Consumer> ids = new LinkedHashMap<>();
    for (ConsumerConfig c : configs) {
      ids.putIfAbsent(c.id(), new Consumer(c.id(), Set.copyOf(c.groups()), Set.of(), c.tags()));
    }
    this.byId = Map.copyOf(ids);
    this.all = List.copyOf(ids.values());
  }

  /** Adds an error to {@code errors} for every consumer id used twice. */
  public static void checkIds(List<ConsumerConfig> configs, List<ConfigException> errors) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < configs.size(); i++) {
      String id = configs.get(i).id();
      if (!seen.add(id)) {
        errors.add(new ConfigException("consumers[" + i + "].id", "duplicate consumer id '" + id + "'"));
      }
    }
  }

  /** Whether a policy's configuration error is about a credential (its path is absolute, not the policy's). */
  public static boolean isOwnPath(ConfigException e) {
    return e.path().startsWith("consumers[");
  }

  @Override
  public @Nullable Consumer byId(String id) {
    return byId.get(id);
  }

  @Override
  public List<Consumer> all() {
    return all;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <C> List<Credential<C>> credentials(String kind, Class<C> type) {
    String key = kind + '\u0000' + type.getName() + '@' + System.identityHashCode(type);
    Object cached = bound.get(key);
    if (cached == null) {
      cached = bind(kind, type);
      bound.putIfAbsent(key, cached);
    }
    if (cached instanceof ConfigException e) {
      throw e;
    }
    return (List<Credential<C>>) cached;
  }

  private <C> Object bind(String kind, Class<C> type) {
    List<Credential<C>> out = new ArrayList<>();
    for (ConsumerConfig c : configs) {
      List<JsonNode> list = c.credentials().get(kind);
      if (list == null) {
        continue;
      }
      Consumer consumer = byId.get(c.id());
      for (int i = 0; i < list.size(); i++) {
        String path = "consumers[" + c.id() + "].credentials." + kind + "[" + i + "]";
        try {
          out.add(new Credential<>(consumer, binder.bind(list.get(i), type, path)));
        } catch (ConfigException e) {
          return e.path().startsWith(path) ? e : e.at(path);
        } catch (RuntimeException e) {
          return new ConfigException(path, "does not bind: " + e.getMessage());
        }
      }
    }
    return List.copyOf(out);
  }
}
