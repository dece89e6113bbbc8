// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.script;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.gateway.platform.config.GatewayConfig;
import io.sluice.gateway.platform.config.PolicyConfig;
import io.sluice.gateway.platform.config.RouteConfig;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The script files a configuration uses ({@code type: script} entries, global and per route): the only files of
 * the policies directory whose changes matter. A file nobody uses is ignored until a route refers to it.
 */
public final class ScriptFiles {

  private ScriptFiles() {}

  public static Set<String> usedBy(GatewayConfig config) {
    Set<String> files = new TreeSet<>();
    add(config.policies(), files);
    for (RouteConfig route : config.routes()) {
      add(route.policies(), files);
    }
    return files;
  }

  private static void add(List<PolicyConfig> policies, Set<String> files) {
    for (PolicyConfig p : policies) {
      JsonNode file = p.config() == null ? null : p.config().get("file");
      if (p.type().equals("script") && file != null && file.isTextual()) {
        files.add(file.asText());
      }
    }
  }
}
