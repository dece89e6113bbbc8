// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.cors;

import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.PolicyContext;
import io.sluice.gateway.api.PolicyFactory;
import io.sluice.gateway.api.Stage;
import org.pf4j.Extension;

/** {@code type: cors}, in the {@link Stage#SCREEN} stage so that preflights are answered before authentication. */
@Extension
public final class CorsPolicyFactory implements PolicyFactory<CorsConfig> {

  @Override
  public String type() {
    return "cors";
  }

  @Override
  public Stage stage() {
    return Stage.SCREEN;
  }

  @Override
  public Class<CorsConfig> configType() {
    return CorsConfig.class;
  }

  @Override
  public Policy create(CorsConfig config, PolicyContext context) {
    return new CorsPolicy(config);
  }
}
