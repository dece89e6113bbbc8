// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.acl;

import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.PolicyContext;
import io.sluice.gateway.api.PolicyFactory;
import io.sluice.gateway.api.Stage;
import java.util.Set;
import org.pf4j.Extension;

/** {@code type: acl}, in the {@link Stage#AUTHORIZE} stage. */
@Extension
public final class AclPolicyFactory implements PolicyFactory<AclConfig> {

  @Override
  public String type() {
    return "acl";
  }

  @Override
  public Stage stage() {
    return Stage.AUTHORIZE;
  }

  @Override
  public Class<AclConfig> configType() {
    return AclConfig.class;
  }

  @Override
  public Policy create(AclConfig config, PolicyContext context) {
    return new AclPolicy(Set.copyOf(config.allow()), Set.copyOf(config.deny()));
  }
}
