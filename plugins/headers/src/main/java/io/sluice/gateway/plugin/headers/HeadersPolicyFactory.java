// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.headers;

import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.PolicyContext;
import io.sluice.gateway.api.PolicyFactory;
import io.sluice.gateway.api.Stage;
import io.sluice.gateway.api.config.ConfigException;
import org.pf4j.Extension;

/** {@code type: headers}, in the {@link Stage#TRANSFORM} stage. */
@Extension
public final class HeadersPolicyFactory implements PolicyFactory<HeadersConfig> {

  @Override
  public String type() {
    return "headers";
  }

  @Override
  public Stage stage() {
    return Stage.TRANSFORM;
  }

  @Override
  public Class<HeadersConfig> configType() {
    return HeadersConfig.class;
  }

  @Override
  public Policy create(HeadersConfig config, PolicyContext context) {
    HeaderOperations request = compile(config.request(), "request");
    HeaderOperations response = compile(config.response(), "response");
    if (request.isEmpty() && response.isEmpty()) {
      throw new ConfigException("", "changes no header: give request or response operations");
    }
    return new HeadersPolicy(request, response);
  }

  private static HeaderOperations compile(HeadersConfig.Operations ops, String field) {
    try {
      return HeaderOperations.compile(ops != null ? ops : new HeadersConfig.Operations(null, null, null, null));
    } catch (ConfigException e) {
      throw e.at(field);
    }
  }
}
