// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.cache;

import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.PolicyContext;
import io.sluice.gateway.api.PolicyFactory;
import io.sluice.gateway.api.Stage;
import io.sluice.gateway.api.admin.AdminEndpoint;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.pf4j.Extension;

/**
 * {@code type: cache}, in the {@link Stage#CACHE} stage: after authentication and limits (a hit is still
 * authenticated and counted), next to the upstream. One store per route, in the cluster facade's cache. The
 * factory keeps the routes' latest policies and the node's purge rules for its admin endpoint ({@code
 * /admin/cache}, {@link CacheAdmin}).
 */
@Extension
public final class CachePolicyFactory implements PolicyFactory<CacheConfig> {

  private final Map<String, CachePolicy> routes = new ConcurrentHashMap<>();
  private volatile @Nullable Purges purges;
  private final CacheAdmin admin = new CacheAdmin(routes, () -> purges);

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
    Purges rules = purges(context, config);
    rules.retain(config.ruleRetention());
    CachePolicy policy = new CachePolicy(config, context.cluster().cache("responses:" + context.routeId()),
        context.vertx(), System::currentTimeMillis, rules, context.routeId(), context.meters(), context.upstream());
    routes.put(context.routeId(), policy);
    return policy;
  }

  @Override
  public AdminEndpoint admin() {
    return admin;
  }

  /** One rule set per factory (per plugin generation): the cluster services are the same for every route. */
  private synchronized Purges purges(PolicyContext context, CacheConfig config) {
    Purges p = purges;
    if (p == null) {
      p = new Purges(context.cluster(), context.vertx(), System::currentTimeMillis, config.ruleRetention()).start();
      purges = p;
    }
    return p;
  }
}
