// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.testpolicies;

import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.PolicyContext;
import io.sluice.gateway.api.PolicyFactory;
import io.sluice.gateway.api.Stage;
import io.sluice.gateway.api.config.ConfigException;
import io.vertx.core.MultiMap;
import org.pf4j.Extension;

/** Test policy: appends its name to X-Trace on the way in and to X-Trace-Back on the way out. */
@Extension
public final class TracePolicyFactory implements PolicyFactory<TracePolicyFactory.Config> {

  /** @param name what to append */
  public record Config(String name) {
    public Config {
      if (name == null || name.isBlank()) {
        throw new ConfigException("name", "is required");
      }
    }
  }

  @Override
  public String type() {
    return "trace";
  }

  @Override
  public Stage stage() {
    return Stage.TRANSFORM;
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Policy create(Config config, PolicyContext context) {
    return (exchange, chain) -> {
      append(exchange.request().headers(), "X-Trace", config.name());
      return chain.proceed().onSuccess(v -> append(exchange.response().headers(), "X-Trace-Back", config.name()));
    };
  }

  private static void append(MultiMap headers, String name, String value) {
    String current = headers.get(name);
    headers.set(name, current == null ? value : current + "," + value);
  }
}
