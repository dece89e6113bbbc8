// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.cache;

import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.PolicyContext;
import io.sluice.gateway.api.PolicyFactory;
import io.sluice.gateway.api.Stage;
import org.pf4j.Extension;

/**
 * {@code type: cache}, in the {@link Stage#CACHE} stage: after authentication and limits (a hit is still
 * authenticated and counted), next to the upstream. One store per route, in the cluster facade's cache.
 */
@Extension
public final class CachePolicyFactory implements PolicyFactory<CacheConfig> {

  @Override
  public String type() {
    return "cache";
  }

  @Override
  public Stage stage() {
    return Stage.CACHE;
  }

  @Override
  public Class<CacheConfig> configType() {
    return CacheConfig.class;
  }

  @Override
  public Policy create(CacheConfig config, PolicyContext context) {
    return new CachePolicy(config, context.cluster().cache("responses:" + context.routeId()), context.vertx(),
        System::currentTimeMillis, context.meters());
  }
}
