// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.oauth2introspection;

import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.PolicyContext;
import io.sluice.gateway.api.PolicyFactory;
import io.sluice.gateway.api.Stage;
import java.time.Clock;
import org.pf4j.Extension;

/** {@code type: oauth2-introspection}, in the {@link Stage#AUTHENTICATE} stage. */
@Extension
public final class IntrospectionPolicyFactory implements PolicyFactory<IntrospectionConfig> {

  @Override
  public String type() {
    return "oauth2-introspection";
  }

  @Override
  public Stage stage() {
    return Stage.AUTHENTICATE;
  }

  @Override
  public Class<IntrospectionConfig> configType() {
    return IntrospectionConfig.class;
  }

  @Override
  public Policy create(IntrospectionConfig config, PolicyContext context) {
    return create(config, context, Clock.systemUTC());
  }

  /** As {@link #create(IntrospectionConfig, PolicyContext)}, with the clock that tests control. */
  static Policy create(IntrospectionConfig config, PolicyContext context, Clock clock) {
    return new IntrospectionPolicy(config, context.httpClient(), clock, context.routeId());
  }
}
