// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.PolicyContext;
import io.sluice.gateway.api.PolicyFactory;
import io.sluice.gateway.api.Stage;
import io.sluice.gateway.api.config.ConfigException;
import io.sluice.gateway.api.auth.Consumers;
import io.sluice.gateway.platform.config.AuthenticationConfig;
import io.sluice.gateway.platform.config.ConfigLoader;
import io.sluice.gateway.platform.consumer.ConfiguredConsumers;
import io.sluice.gateway.platform.config.SecretMask;
import io.sluice.gateway.platform.config.PolicyConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Builds a route's chain at load time: global policies, then the route's, each bound to its factory's config
 * type and created once; then ordered by stage, keeping configuration order within a stage (a stable sort).
 */
public final class ChainAssembler {

  /** Makes the context a factory sees for one route and policy type. */
  @FunctionalInterface
  public interface Contexts {
    PolicyContext forPolicy(String routeId, String policyType);
  }

  private final PolicyRegistry registry;
  private final ConfigLoader binder;
  private final Contexts contexts;
  private final Consumers consumers;
  private final PolicyTimings.Factory timings;

  public ChainAssembler(PolicyRegistry registry, ConfigLoader binder, Contexts contexts) {
    this(registry, binder, contexts, Consumers.none());
  }

  /** @param consumers the configuration's consumers, where a route's {@code authentication.anonymous} is looked up */
  public ChainAssembler(PolicyRegistry registry, ConfigLoader binder, Contexts contexts, Consumers consumers) {
    this(registry, binder, contexts, consumers, PolicyTimings.Factory.NONE);
  }

  private ChainAssembler(PolicyRegistry registry, ConfigLoader binder, Contexts contexts, Consumers consumers,
      PolicyTimings.Factory timings) {
    this.registry = registry;
    this.binder = binder;
    this.contexts = contexts;
    this.consumers = consumers;
    this.timings = timings;
  }

  /** This assembler, with the chains it builds reporting their policies' time to {@code timings}. */
  public ChainAssembler withTimings(PolicyTimings.Factory timings) {
    return new ChainAssembler(registry, binder, contexts, consumers, timings);
  }

  /** {@link #assemble(String, List, List, AuthenticationConfig)} with the plain chain's authentication. */
  public PolicyChain assemble(String routeId, List<PolicyConfig> global, List<PolicyConfig> local) {
    return assemble(routeId, global, local, null);
  }

  /**
   * @param global the top-level {@code policies:}; their errors carry the path {@code policies[i]}
   * @param local the route's {@code policies:}; their errors carry {@code policies[i]} relative to the route
   * @param authentication the route's {@code authentication:}; with {@code mode: any} its
   *     authentication-stage policies become one {@link AnyOfAuthentication} entry (routes without it keep
   *     the plain chain, at no cost)
   * @throws ChainProblems listing the bad entries
   */
  public PolicyChain assemble(String routeId, List<PolicyConfig> global, List<PolicyConfig> local,
      @org.jspecify.annotations.Nullable AuthenticationConfig authentication) {
    io.sluice.gateway.api.@org.jspecify.annotations.Nullable Consumer anonymous = null;
    if (authentication != null && authentication.anonymous() != null) {
      anonymous = consumers.byId(authentication.anonymous());
      if (anonymous == null) {
        throw new ChainProblems(List.of(), List.of(new ConfigException("authentication.anonymous",
            "no consumer '" + authentication.anonymous() + "' in consumers")));
      }
    }
    if (global.isEmpty() && local.isEmpty() && anonymous == null) {
      return PolicyChain.EMPTY;
    }
    List<ChainEntry> entries = new ArrayList<>(global.size() + local.size());
    List<ConfigException> globalProblems = new ArrayList<>();
    List<ConfigException> localProblems = new ArrayList<>();
    for (int i = 0; i < global.size(); i++) {
      try {
        entries.add(create(routeId, global.get(i)));
      } catch (ConfigException e) {
        globalProblems.add(ConfiguredConsumers.isOwnPath(e) ? e : e.at("policies[" + i + "]"));
      }
    }
    for (int i = 0; i < local.size(); i++) {
      try {
        entries.add(create(routeId, local.get(i)));
      } catch (ConfigException e) {
        if (ConfiguredConsumers.isOwnPath(e)) {
          globalProblems.add(e);
        } else {
          localProblems.add(e.at("policies[" + i + "]"));
        }
      }
    }
    if (!globalProblems.isEmpty() || !localProblems.isEmpty()) {
      closeAll(entries);
      throw new ChainProblems(globalProblems, localProblems);
    }
    entries.sort(Comparator.comparing(ChainEntry::stage));
    if (authentication != null && authentication.any()) {
      entries = AnyOfAuthentication.group(entries, anonymous);
    }
    return new PolicyChain(entries, timings.forChain(routeId, entries));
  }

  private ChainEntry create(String routeId, PolicyConfig pc) {
    RegisteredFactory registered = registry.get(pc.type());
    if (registered == null) {
      throw new ConfigException("type", "unknown policy type '" + pc.type() + "' (known: " + registry.knownTypes() + ")");
    }
    Stage stage = pc.stage() != null ? pc.stage() : registered.factory().stage();
    JsonNode node = pc.config() != null && !pc.config().isNull() ? pc.config() : JsonNodeFactory.instance.objectNode();
    return entry(registered.factory(), registered.source(), pc.type(), stage, node,
        contexts.forPolicy(routeId, pc.type()));
  }

  /** Binds the entry's config to its factory's type, creates the policy, and keeps the config to show. */
  private <C> ChainEntry entry(PolicyFactory<C> factory, String source, String type, Stage stage, JsonNode node,
      PolicyContext context) {
    C config = binder.bind(node, factory.configType(), "config");
    Policy policy = createPolicy(factory, config, context);
    return new ChainEntry(type, stage, source, policy, SecretMask.mask(binder.describe(config, node)));
  }

  private <C> Policy createPolicy(PolicyFactory<C> factory, C config, PolicyContext context) {
    try {
      Policy policy = factory.create(config, context);
      if (policy == null) {
        throw new ConfigException("", "factory of '" + factory.type() + "' returned no policy");
      }
      return policy;
    } catch (ConfigException e) {
      throw ConfiguredConsumers.isOwnPath(e) ? e : e.at("config");
    } catch (RuntimeException e) {
      throw new ConfigException("config", "policy '" + factory.type() + "' refused it: " + e);
    }
  }

  /** Releases what the policies of a refused chain hold (script contexts). */
  private static void closeAll(List<ChainEntry> entries) {
    for (ChainEntry entry : entries) {
      if (entry.policy() instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception ignored) {
          // best effort: the chain is discarded either way
        }
      }
    }
  }

  /**
   * Invalid policy entries of one route's chain: global ones with absolute paths ({@code policies[0].config.x}),
   * and the route's own, relative to the route.
   */
  public static final class ChainProblems extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<ConfigException> global;
    private final transient List<ConfigException> local;

    ChainProblems(List<ConfigException> global, List<ConfigException> local) {
      super("invalid policies", null, false, false);
      this.global = List.copyOf(global);
      this.local = List.copyOf(local);
    }

    public List<ConfigException> global() {
      return global;
    }

    /** The route's own problems. */
    public List<ConfigException> local() {
      return local;
    }
  }
}
