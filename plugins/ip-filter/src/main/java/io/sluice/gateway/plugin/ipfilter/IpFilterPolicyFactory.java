// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.ipfilter;

import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.PolicyContext;
import io.sluice.gateway.api.PolicyFactory;
import io.sluice.gateway.api.Stage;
import io.sluice.gateway.api.config.ConfigException;
import io.sluice.gateway.api.net.IpRange;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.Extension;

/** {@code type: ip-filter}, in the {@link Stage#SCREEN} stage. */
@Extension
public final class IpFilterPolicyFactory implements PolicyFactory<IpFilterConfig> {

  @Override
  public String type() {
    return "ip-filter";
  }

  @Override
  public Stage stage() {
    return Stage.SCREEN;
  }

  @Override
  public Class<IpFilterConfig> configType() {
    return IpFilterConfig.class;
  }

  @Override
  public Policy create(IpFilterConfig config, PolicyContext context) {
    return new IpFilterPolicy(ranges("allow", config.allow()), ranges("deny", config.deny()));
  }

  private static List<IpRange> ranges(String field, List<String> entries) {
    List<IpRange> ranges = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      try {
        ranges.add(IpRange.parse(entries.get(i)));
      } catch (ConfigException e) {
        throw e.at(field + "[" + i + "]");
      }
    }
    return List.copyOf(ranges);
  }
}
