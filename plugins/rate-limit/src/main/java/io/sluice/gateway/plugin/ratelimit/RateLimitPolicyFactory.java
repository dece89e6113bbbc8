// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.ratelimit;

import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.PolicyContext;
import io.sluice.gateway.api.PolicyFactory;
import io.sluice.gateway.api.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.pf4j.Extension;

/** {@code type: rate-limit}, in the {@link Stage#LIMIT} stage. */
@Extension
public final class RateLimitPolicyFactory implements PolicyFactory<RateLimitConfig> {

  @Override
  public String type() {
    return "rate-limit";
  }

  @Override
  public Stage stage() {
    return Stage.LIMIT;
  }

  @Override
  public Class<RateLimitConfig> configType() {
    return RateLimitConfig.class;
  }

  @Override
  public Policy create(RateLimitConfig config, PolicyContext context) {
    return create(config, context, System::currentTimeMillis);
  }

  /** The policy on {@code clock} (epoch milliseconds): tests move time by hand. */
  static RateLimitPolicy create(RateLimitConfig config, PolicyContext context, LongSupplier clock) {
    @Nullable ClusterLink link = config.clusterScope()
        ? new ClusterLink(context.cluster().counters(), context.vertx(), clock, config.failOpen(), context.routeId())
        : null;
    List<Limit> limits = new ArrayList<>();
    List<RateLimitConfig.LimitConfig> configured = config.limits();
    for (int i = 0; i < configured.size(); i++) {
      limits.add(new Limit(i, context.routeId(), configured.get(i), config.sharedMissingKey(), config.maxKeys(),
          limit -> slots(limit, link)));
    }
    return new RateLimitPolicy(limits, clock, config.addHeaders(), link == null, context.meters());
  }

  private static Function<String, Slot> slots(Limit limit, @Nullable ClusterLink link) {
    if (link != null) {
      return key -> new LeaseSlot(limit, key, link);
    }
    return switch (limit.algorithm) {
      case FIXED_WINDOW -> key -> new FixedWindowSlot(limit);
      case SLIDING_WINDOW -> key -> new SlidingWindowSlot(limit);
      case TOKEN_BUCKET -> key -> new TokenBucketSlot(limit);
    };
  }
}
