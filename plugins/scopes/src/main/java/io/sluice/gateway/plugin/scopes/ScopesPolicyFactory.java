// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.scopes;

import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.PolicyContext;
import io.sluice.gateway.api.PolicyFactory;
import io.sluice.gateway.api.Stage;
import org.pf4j.Extension;

/** {@code type: scopes}, in the {@link Stage#AUTHORIZE} stage. */
@Extension
public final class ScopesPolicyFactory implements PolicyFactory<ScopesConfig> {

  @Override
  public String type() {
    return "scopes";
  }

  @Override
  public Stage stage() {
    return Stage.AUTHORIZE;
  }

  @Override
  public Class<ScopesConfig> configType() {
    return ScopesConfig.class;
  }

  @Override
  public Policy create(ScopesConfig config, PolicyContext context) {
    return new ScopesPolicy(config.required(), config.mode().equals("any"));
  }
}
