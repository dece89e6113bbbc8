// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.testpolicies;

import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.PolicyContext;
import io.sluice.gateway.api.PolicyFactory;
import io.sluice.gateway.api.Stage;

/** Test policy: authenticates the request as the consumer named in {@code X-Test-Consumer}, when present. */
@org.pf4j.Extension
public final class HeaderConsumerPolicyFactory implements PolicyFactory<HeaderConsumerPolicyFactory.Config> {

  /** No settings. */
  public record Config() {}

  @Override
  public String type() {
    return "header-consumer";
  }

  @Override
  public Stage stage() {
    return Stage.AUTHENTICATE;
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Policy create(Config config, PolicyContext context) {
    return (exchange, chain) -> {
      String id = exchange.request().headers().get("X-Test-Consumer");
      if (id != null) {
        exchange.consumer(Consumer.of(id));
      }
      return chain.proceed();
    };
  }
}
