// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.testpolicies;

import io.sluice.gateway.api.NoConfig;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.PolicyContext;
import io.sluice.gateway.api.PolicyFactory;
import io.sluice.gateway.api.PolicyMeters;
import io.sluice.gateway.api.Stage;
import org.pf4j.Extension;

/** Test policy: counts the exchanges it sees with a plugin counter ({@code sluice_plugin_count_seen_total}). */
@Extension
public final class CountPolicyFactory implements PolicyFactory<NoConfig> {

  @Override
  public String type() {
    return "count";
  }

  @Override
  public Stage stage() {
    return Stage.TRANSFORM;
  }

  @Override
  public Class<NoConfig> configType() {
    return NoConfig.class;
  }

  @Override
  public Policy create(NoConfig config, PolicyContext context) {
    PolicyMeters.Counter seen = context.meters().counter("seen", "Exchanges the count test policy saw");
    return (exchange, chain) -> {
      seen.increment();
      return chain.proceed();
    };
  }
}
