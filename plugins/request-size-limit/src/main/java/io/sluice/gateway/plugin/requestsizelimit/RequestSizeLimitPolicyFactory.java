// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.requestsizelimit;

import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.PolicyContext;
import io.sluice.gateway.api.PolicyFactory;
import io.sluice.gateway.api.Stage;
import org.pf4j.Extension;

/** {@code type: request-size-limit}, in the {@link Stage#SCREEN} stage. */
@Extension
public final class RequestSizeLimitPolicyFactory implements PolicyFactory<RequestSizeLimitConfig> {

  @Override
  public String type() {
    return "request-size-limit";
  }

  @Override
  public Stage stage() {
    return Stage.SCREEN;
  }

  @Override
  public Class<RequestSizeLimitConfig> configType() {
    return RequestSizeLimitConfig.class;
  }

  @Override
  public Policy create(RequestSizeLimitConfig config, PolicyContext context) {
    return new RequestSizeLimitPolicy(config.maxSize().bytes());
  }
}
